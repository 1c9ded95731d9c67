import { eventKindLabel as eventKindWords } from '../text/event-kind-labels.js'
import { inSentence, type Label } from '../text/label.js'
import { roadClassLabel as roadClassWords } from '../text/road-class-labels.js'

export type { Label } from '../text/label.js'
export { roadClassOrder } from '../text/road-class-labels.js'

/** The report files name a kind inside a header (`over-speed, primary road`), so in lower case. */
const inHeader = (label: Label): Label => ({ zh: label.zh, en: inSentence(label.en) })

/** An event kind as a report file's header names it; a kind not known is named by itself. */
export const eventKindLabel = (kind: string): Label => inHeader(eventKindWords(kind))

/** A road class as a report file's header names it. */
export const roadClassLabel = (roadClass: string): Label => inHeader(roadClassWords(roadClass))
