/** A sleep that wake() ends early, so a hint of new reports is acted on at once. */
export function createWakeableSleep() {
  let endSleep: (() => void) | undefined

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        endSleep = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref()
      endSleep = done
    })

  const wake = () => endSleep?.()

  return { sleep, wake }
}
