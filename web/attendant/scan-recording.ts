import type { RosterPupil, ScanAction } from './attendant-contract.js'
import { fail, render, tell } from './attendant-render.js'
import { currentStop, io, rosterView, serverNowMs, state, text, trips, view } from './attendant-state.js'
import { flush } from './attendant-sync.js'
import type { Tone } from './attendant-view.js'
import { startCameraScanner } from './camera-scanner.js'
import { readPupilCode } from './pupil-code-input.js'
import { newItemId, type ScanItem } from './scan-queue.js'

/** The camera sees a card in many frames: the same code seen again within this is the same scan. */
const sameCardMs = 5_000

let lastCard = { code: '', atMs: 0 }

/** Records a scan on the phone first, shows it at once, then sends it if there is a connection. */
export async function record(target: { pupil: RosterPupil } | { code: string }, action: ScanAction) {
  const trip = state.selectedTripId ? trips.get(state.selectedTripId) : undefined
  if (!trip || !state.today || !state.selectedTripId) return
  const t = text()
  const stop = trip.stops.find((s) => s.seq === currentStop(trip).seq)
  const scan: ScanItem = {
    kind: 'scan',
    id: newItemId(),
    tripId: state.selectedTripId,
    serviceDate: state.today.date,
    ...('pupil' in target ? { pupilId: target.pupil.pupilId } : { pupilCode: target.code }),
    action,
    stopId: stop?.stopId ?? null,
    scannedAt: new Date(serverNowMs()).toISOString(),
  }
  state.queued = [...state.queued, await io.queue.add(scan)]
  let said: [string, Tone]
  if ('pupil' in target) {
    const ownSeq = action === 'boarded' ? target.pupil.boardSeq : target.pupil.alightSeq
    const own = trip.stops.find((s) => s.seq === ownSeq)
    said =
      stop && own && own.seq !== stop.seq
        ? [t.wrongStop(target.pupil.name, own.name), 'warn']
        : [t.recorded(target.pupil.name, action), 'good']
  } else said = [t.notOnBus(target.code), 'bad']
  tell(...said)
  render()
  await flush()
  if (state.queued.some((item) => item.id === scan.id)) tell(`${said[0]} · ${t.savedOffline}`, said[1])
}

/** A code typed or read by the camera: its pupil's next step, or a code this bus does not carry. */
export function scanCode(raw: string) {
  const trip = state.selectedTripId ? trips.get(state.selectedTripId) : undefined
  if (!trip) return
  const code = readPupilCode(raw)
  if (!code) return tell(text().invalidCode, 'bad')
  const pupil = trip.pupils.find((p) => p.code === code)
  if (!pupil) return void record({ code }, 'boarded').catch(fail)
  const row = rosterView()
    ?.roster.groups.flatMap((g) => g.rows)
    .find((r) => r.pupil.pupilId === pupil.pupilId)
  void record({ pupil }, row?.nextAction ?? 'boarded').catch(fail)
}

function onCameraRead(raw: string) {
  const nowMs = Date.now()
  const sameCard = raw === lastCard.code && nowMs - lastCard.atMs < sameCardMs
  lastCard = { code: raw, atMs: nowMs }
  // A card held in front of the camera is one scan, however long it stays there.
  if (sameCard) return
  navigator.vibrate?.(60)
  scanCode(raw)
}

export async function openCamera() {
  view.showCamera(true)
  const decoderUrl = document.querySelector<HTMLMetaElement>('meta[name="qr-decoder"]')?.content ?? ''
  try {
    state.camera = await startCameraScanner({ video: view.cameraVideo, decoderUrl, onRead: onCameraRead })
  } catch {
    view.showCamera(false)
    tell(text().cameraUnavailable, 'warn')
  }
}

export function closeCamera() {
  state.camera?.stop()
  state.camera = null
  view.showCamera(false)
}

export async function endTrip() {
  if (!state.selectedTripId || !state.today || !view.confirmEmpty.checked) return
  const end = {
    kind: 'end' as const,
    id: newItemId(),
    tripId: state.selectedTripId,
    serviceDate: state.today.date,
    endedAt: new Date(serverNowMs()).toISOString(),
  }
  state.queued = [...state.queued, await io.queue.add(end)]
  view.closeEndDialog()
  render()
  await flush()
}
