import fs from 'node:fs/promises'

/**
 * Chromium's switches for a camera that films `videoPath` (a Y4M file) and needs no permission:
 * the page's getUserMedia gets that picture, over and over.
 */
export const fakeCameraArgs = (videoPath: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${videoPath}`,
]

/** A still grey picture (0 black, 255 white) as a one-frame Y4M video. */
export async function writeStillVideo(
  videoPath: string,
  grey: Uint8Array,
  size: { width: number; height: number },
): Promise<void> {
  const chroma = new Uint8Array((size.width / 2) * (size.height / 2) * 2).fill(128)
  const header = `YUV4MPEG2 W${size.width} H${size.height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`
  await fs.writeFile(videoPath, Buffer.concat([Buffer.from(header, 'ascii'), grey, chroma]))
}
