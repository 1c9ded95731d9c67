import { element, setText } from '../shared/dom.js'
import { fixIndexAt, speedBands } from '../shared/map/speed-bands.js'
import type { BusEvent, BusTrip, FleetBus, TrackPoint } from './bureau-contract.js'
import { cixiClock, placeName, type BureauContext } from './bureau-context.js'
import { playbackSpeedOf } from './track-playback.js'
import { kindText } from './bureau-text.js'
import { stateMarkElement } from './state-marks.js'

/** The cursor moves this often while the player runs. */
const playbackTickMs = 100

/** A term and what it says, for a `<dl>`; `key` names the row for whoever reads the page by its parts. */
export function fact(key: string, term: string, ...values: (string | Node)[]) {
  const row = document.createElement('div')
  row.dataset.fact = key
  const dt = document.createElement('dt')
  dt.textContent = term
  const dd = document.createElement('dd')
  dd.append(...values)
  row.append(dt, dd)
  return row
}

/** A word in a coloured pill: `level` good, warn or bad; the word, not the colour, says which. */
export function pill(text: string, level: 'good' | 'warn' | 'bad' | 'none') {
  const node = document.createElement('span')
  node.className = `pill ${level}`
  node.textContent = text
  return node
}

/**
 * One bus in the detail panel: its state, trip and next call, speed, crew, pupils on board, its
 * equipment and papers, its trips of the day and events so far, and its track of the day on the
 * map coloured by speed, with a player that runs the cursor along it.
 */
export function createBusPanel(ctx: BureauContext) {
  const ui = {
    panel: element('bus-panel'),
    title: element('bus-title'),
    facts: element('bus-facts'),
    device: element('bus-device'),
    trips: element('bus-trips'),
    events: element('bus-events'),
    play: element<HTMLButtonElement>('track-play'),
    slider: element<HTMLInputElement>('track-slider'),
    at: element('track-at'),
    player: element('track-player'),
    noTrack: element('track-none'),
    speedLegend: element('speed-legend'),
  }
  let busId: string | null = null
  let trips: BusTrip[] = []
  let events: BusEvent[] = []
  let track: TrackPoint[] = []
  let loaded = false
  let playTimer: ReturnType<typeof setInterval> | undefined
  let playMs = 0

  const busNow = (): FleetBus | undefined => ctx.fleet()?.buses.find((bus) => bus.busId === busId)

  const showCursor = (index: number) => {
    const fix = track[index]
    if (!fix) return
    ui.slider.value = String(index)
    ctx.map.track.moveTo(index)
    setText(ui.at, ctx.t().trackAt(cixiClock(Date.parse(fix.ts)), ctx.t().kmh(fix.speedKmh)))
    ui.at.dataset.index = String(index)
  }

  const stop = () => {
    clearInterval(playTimer)
    playTimer = undefined
    ui.play.dataset.playing = 'false'
    setText(ui.play, ctx.t().play)
  }

  const play = () => {
    if (track.length === 0) return
    let index = Number(ui.slider.value)
    if (index >= track.length - 1) index = 0
    playMs = Date.parse(track[index]!.ts)
    const speed = playbackSpeedOf(track)
    ui.play.dataset.playing = 'true'
    setText(ui.play, ctx.t().pause)
    playTimer = setInterval(() => {
      playMs += playbackTickMs * speed
      const at = fixIndexAt(track, playMs)
      showCursor(at)
      if (at >= track.length - 1) stop()
    }, playbackTickMs)
  }

  ui.play.addEventListener('click', () => (playTimer ? stop() : play()))
  ui.slider.addEventListener('input', () => {
    stop()
    showCursor(Number(ui.slider.value))
  })

  function renderFacts() {
    const t = ctx.t()
    const bus = busNow()
    if (!bus) return
    setText(ui.title, t.busTitle(bus.plate))
    ui.panel.dataset.state = bus.state
    const now = ctx.serverNowMs()
    const next = bus.trip?.nextCall
    const tripFacts = bus.trip
      ? [
          fact(
            'trip',
            t.tripLabel,
            `${t.directions[bus.trip.direction]} · ${bus.trip.id} · ${t.lateness(bus.trip.lateS)}`,
          ),
          fact(
            'next-call',
            t.nextCallLabel,
            next
              ? [
                  placeName({ nameZh: next.nameZh, nameEn: next.nameEn }, ctx.lang(), next.stopId),
                  t.planned(cixiClock(Date.parse(next.plannedAt)).slice(0, 5)),
                  ...(next.expectedAt
                    ? [t.expected(cixiClock(Date.parse(next.expectedAt)).slice(0, 5))]
                    : []),
                ].join(' · ')
              : t.lastCall,
          ),
          fact('pupils', t.pupilsLabel, t.pupils(bus.trip.pupilsOnBoard)),
        ]
      : [fact('trip', t.tripLabel, t.noTrip)]
    const stateLine = document.createElement('span')
    stateLine.append(stateMarkElement(bus.state), ` ${t.states[bus.state]}`)
    ui.facts.replaceChildren(
      fact('state', t.stateLabel, stateLine),
      ...tripFacts,
      fact('speed', t.speedLabel, t.kmh(bus.position?.speedKmh ?? null)),
      fact(
        'last-report',
        t.lastReportLabel,
        bus.position ? t.ago((now - Date.parse(bus.position.ts)) / 1000) : t.never,
      ),
      fact('driver', t.driverLabel, bus.crew.driver ?? '—'),
      fact('attendant', t.attendantLabel, bus.crew.attendant ?? '—'),
      fact('open-cases', t.openCasesLabel, String(bus.openCases)),
    )
    const { gps, limiter, video, power } = bus.device
    const faults = (names: string[]) => names.map((name) => t.terminalAlarms[name] ?? name)
    const gpsLevel = gps.state === 'ok' ? 'good' : gps.state === 'none' ? 'none' : 'bad'
    const compliance = bus.compliance
    ui.device.replaceChildren(
      fact(
        'gps',
        t.gpsLabel,
        pill(t.gps[gps.state], gpsLevel),
        [
          gps.lastReportTs ? cixiClock(Date.parse(gps.lastReportTs)) : '',
          gps.satellites !== null ? t.satellites(gps.satellites) : '',
          ...faults(gps.faults),
        ]
          .filter(Boolean)
          .map((part) => ` ${part}`)
          .join(' ·'),
      ),
      fact(
        'limiter',
        t.limiterLabel,
        pill(
          t.limiter[limiter.state],
          limiter.state === 'on' ? 'good' : limiter.state === 'unknown' ? 'none' : 'bad',
        ),
        limiter.limitKmh !== null ? ` ${t.kmh(limiter.limitKmh)}` : '',
      ),
      fact(
        'video',
        t.videoLabel,
        pill(
          t.video[video.state],
          video.state === 'ok' ? 'good' : video.state === 'unknown' ? 'none' : 'bad',
        ),
        [...faults(video.faults), ...(video.channels.length > 0 ? [t.cameras(video.channels)] : [])]
          .map((part) => ` ${part}`)
          .join(' ·'),
      ),
      fact('power', t.powerLabel, pill(t.power[power.state], power.state === 'ok' ? 'good' : 'bad')),
      ...(compliance
        ? [
            fact(
              'compliance',
              t.complianceLabel,
              pill(
                t.complianceOf(t.compliance[compliance.bus], t.compliance[compliance.crew]),
                compliance.bus === 'red' || compliance.crew === 'red'
                  ? 'bad'
                  : compliance.bus === 'amber' || compliance.crew === 'amber'
                    ? 'warn'
                    : 'good',
              ),
            ),
          ]
        : []),
    )
  }

  function renderDay() {
    const t = ctx.t()
    if (!loaded) {
      ui.trips.replaceChildren(Object.assign(document.createElement('li'), { textContent: t.loading }))
      ui.events.replaceChildren()
      return
    }
    ui.trips.replaceChildren(
      ...(trips.length === 0
        ? [Object.assign(document.createElement('li'), { className: 'empty', textContent: t.noTripsToday })]
        : trips.map((trip) => {
            const item = document.createElement('li')
            item.dataset.tripId = trip.tripId
            item.dataset.state = trip.state
            item.textContent = `${trip.startTime}–${trip.endTime} · ${t.directions[trip.direction]} · ${trip.schoolName} · ${t.tripStates[trip.state]}`
            return item
          })),
    )
    ui.events.replaceChildren(
      ...(events.length === 0
        ? [Object.assign(document.createElement('li'), { className: 'empty', textContent: t.noEvents })]
        : [...events].reverse().map((event) => {
            const item = document.createElement('li')
            item.dataset.kind = event.kind
            const time = document.createElement('time')
            time.dateTime = event.ts
            time.textContent = cixiClock(Date.parse(event.ts))
            const detail = t.eventDetail(event.kind, event.details)
            item.append(time, ` ${kindText(t, event.kind)}${detail ? ` · ${detail}` : ''}`)
            return item
          })),
    )
    ui.noTrack.hidden = track.length > 0
    ui.player.hidden = track.length === 0
    ui.slider.max = String(Math.max(0, track.length - 1))
    ui.slider.dataset.fixes = String(track.length)
    if (!playTimer) setText(ui.play, t.play)
    ui.speedLegend.replaceChildren(
      Object.assign(document.createElement('span'), {
        className: 'legend-title',
        textContent: t.speedLegendTitle,
      }),
      ...speedBands.map((band, i) => {
        const item = document.createElement('span')
        item.className = 'speed-band'
        const swatch = document.createElement('span')
        swatch.className = 'swatch'
        swatch.style.setProperty('--band', band.colour)
        const from = i === 0 ? 0 : speedBands[i - 1]!.upToKmh
        item.append(swatch, t.speedBand(from, Number.isFinite(band.upToKmh) ? band.upToKmh : null))
        return item
      }),
    )
  }

  return {
    get busId() {
      return busId
    },
    async open(id: string) {
      stop()
      busId = id
      loaded = false
      trips = []
      events = []
      track = []
      ui.panel.hidden = false
      ui.panel.dataset.busId = id
      ui.panel.dataset.loaded = 'false'
      ctx.map.track.clear()
      renderFacts()
      renderDay()
      const [day, busTrips] = await Promise.all([ctx.api.busDay(id), ctx.api.busTrips(id)])
      const fixes = await ctx.api.track(id, day.from, day.to)
      if (busId !== id) return
      ;[events, trips, track] = [day.events, busTrips, fixes]
      loaded = true
      ctx.map.showTrack(track)
      renderDay()
      showCursor(track.length - 1)
      ui.panel.dataset.loaded = 'true'
    },
    close() {
      stop()
      busId = null
      ui.panel.hidden = true
      delete ui.panel.dataset.busId
      ctx.map.track.clear()
    },
    /** The fleet was read again, or the language changed. */
    render() {
      if (!busId) return
      renderFacts()
      renderDay()
      const index = Number(ui.at.dataset.index ?? -1)
      if (index >= 0 && track[index])
        setText(
          ui.at,
          ctx.t().trackAt(cixiClock(Date.parse(track[index]!.ts)), ctx.t().kmh(track[index]!.speedKmh)),
        )
    },
    /** A new event of this bus, live. */
    addEvent(event: BusEvent) {
      if (event.busId !== busId || !loaded) return
      if (events.some((known) => known.kind === event.kind && known.ts === event.ts)) {
        events = events.map((known) => (known.kind === event.kind && known.ts === event.ts ? event : known))
      } else events = [...events, event]
      renderDay()
    },
  }
}
