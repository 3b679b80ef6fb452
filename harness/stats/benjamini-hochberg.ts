// Benjamini–Hochberg (1995) false-discovery-rate adjustment across the metrics of one run:
// with dozens of metrics compared at α = 0.05, about one in twenty unchanged metrics would
// otherwise look significant (benchstat's own doc warns of this and leaves a TODO).

/** benjaminiHochberg returns the BH-adjusted p-values ("q-values"), in the input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0])
  const adjusted = new Array<number>(m)
  let running = 1
  for (let rank = m; rank >= 1; rank--) {
    const [p, index] = order[rank - 1] as readonly [number, number]
    running = Math.min(running, (p * m) / rank)
    adjusted[index] = Math.min(1, running)
  }
  return adjusted
}
