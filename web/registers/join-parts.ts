/** Joins the parts that say something; both languages' words use it, so it lives apart from either. */
export const joinParts = (parts: string[], separator: string) => parts.filter(Boolean).join(separator)
