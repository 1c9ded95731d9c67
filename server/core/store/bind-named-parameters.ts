/** `$name` placeholders as positional parameters, each value once, in order of first use. */
export function bindNamed(sql: string, values: Readonly<Record<string, unknown>>) {
  const order: string[] = []
  const bound = sql.replace(/\$([a-zA-Z]\w*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for $${name}`)
    let at = order.indexOf(name)
    if (at < 0) at = order.push(name) - 1
    return `$${at + 1}`
  })
  return { sql: bound, params: order.map((name) => values[name]) }
}
