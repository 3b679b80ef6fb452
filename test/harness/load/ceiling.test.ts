// `load ceiling`: parsing wrk's and bash's output (a real round is in ceiling.int.test.ts).
import { describe, expect, it } from 'vitest'
import { parseBashTimes, parseWrkRequestsPerSecond } from '../../../harness/load/ceiling.ts'

const WRK_OUTPUT = `Running 5s test @ http://127.0.0.1:8080/x
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   707.04us    1.37ms  40.99ms   97.05%
    Req/Sec    17.57k     5.27k   34.34k    82.00%
  87219 requests in 5.00s, 20.05MB read
Requests/sec:  17443.94
Transfer/sec:      4.01MB
0m0.002s 0m0.001s
0m1.234s 0m0.766s
`

describe('ceiling', () => {
  it("reads wrk's Requests/sec and the CPU time bash reports for it", () => {
    expect(parseWrkRequestsPerSecond(WRK_OUTPUT)).toBe(17443.94)
    expect(parseBashTimes(WRK_OUTPUT)).toBeCloseTo(2.0, 6)
    expect(parseWrkRequestsPerSecond('unable to connect')).toBeUndefined()
  })
})
