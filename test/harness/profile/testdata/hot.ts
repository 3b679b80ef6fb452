// a fixture with one hot function
export function hotLoop(n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) {
    acc += Math.sqrt(i) * Math.sin(i)
  }
  return acc
}

export function allocating(n: number): unknown[] {
  const out: unknown[] = []
  for (let i = 0; i < n; i++) out.push({ i, s: `x${i}` })
  return out
}
