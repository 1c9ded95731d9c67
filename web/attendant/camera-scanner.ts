/** The part of the BarcodeDetector API the page uses (Chrome on Android, Safari on iOS 17+). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike
  getSupportedFormats(): Promise<string[]>
}

type ReadFrame = (video: HTMLVideoElement) => Promise<string | null>

/** The card carries a QR code; older cards a linear barcode. */
const wantedFormats = ['qr_code', 'code_128', 'code_39', 'itf']
const frameGapMs = 150
/** A decoder works on a frame scaled down to this width: a card fills most of the picture. */
const decodeWidthPx = 640

async function barcodeDetectorReader(): Promise<ReadFrame | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector
  if (!Detector) return null
  const formats = (await Detector.getSupportedFormats()).filter((f) => wantedFormats.includes(f))
  if (!formats.includes('qr_code')) return null
  const detector = new Detector({ formats })
  return async (video) => (await detector.detect(video))[0]?.rawValue ?? null
}

async function qrDecoderReader(decoderUrl: string): Promise<ReadFrame> {
  const { decodeQr } = (await import(decoderUrl)) as {
    decodeQr(frame: ImageData): string | null
  }
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('no 2D canvas to read camera frames')
  return async (video) => {
    if (!video.videoWidth) return null
    const scale = Math.min(1, decodeWidthPx / video.videoWidth)
    canvas.width = Math.round(video.videoWidth * scale)
    canvas.height = Math.round(video.videoHeight * scale)
    context.drawImage(video, 0, 0, canvas.width, canvas.height)
    return decodeQr(context.getImageData(0, 0, canvas.width, canvas.height))
  }
}

/**
 * Reads codes from the phone's back camera into `video` until stopped: with the browser's own
 * BarcodeDetector where there is one, else with a QR decoder loaded from `decoderUrl`. Each text
 * read goes to `onRead`; the caller decides what a repeat of the same card means.
 */
export async function startCameraScanner(options: {
  video: HTMLVideoElement
  decoderUrl: string
  onRead(text: string): void
}): Promise<{ stop(): void }> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' } },
    audio: false,
  })
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = () => {
    stopped = true
    clearTimeout(timer)
    for (const track of stream.getTracks()) track.stop()
    options.video.srcObject = null
  }
  try {
    options.video.srcObject = stream
    await options.video.play()
    const read = (await barcodeDetectorReader()) ?? (await qrDecoderReader(options.decoderUrl))
    const loop = async () => {
      if (stopped) return
      const text = await read(options.video).catch(() => null)
      if (text && !stopped) options.onRead(text)
      if (!stopped) timer = setTimeout(() => void loop(), frameGapMs)
    }
    void loop()
  } catch (error) {
    stop()
    throw error
  }
  return { stop }
}
