// Posting an alert to a chat webhook in Slack's incoming-webhook format (`{"text": …}`), which
// Mattermost, Rocket.Chat and Teams' Slack-compatible connectors accept too. The URL is a
// secret (it is the credential): it comes from an environment variable or a file and is never
// printed, not even in an error, which names only where the URL came from.
import { readFile } from 'node:fs/promises'
import { request } from 'undici'
import { InputError } from '../../common/input-error.ts'

/** WEBHOOK_ENV names the variable holding the webhook URL. */
export const WEBHOOK_ENV = 'SLURMBENCH_WEBHOOK_URL'
/** WEBHOOK_TIMEOUT_MS bounds one post. */
export const WEBHOOK_TIMEOUT_MS = 15_000

/** WebhookError is a post that failed; its message never holds the URL. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError'
  constructor(
    message: string,
    readonly code: 'WEBHOOK_UNREACHABLE' | 'WEBHOOK_REJECTED',
  ) {
    super(message)
  }
}

/** WebhookTarget is a URL with a printable name for where it came from. */
export interface WebhookTarget {
  readonly url: URL
  /** `$SLURMBENCH_WEBHOOK_URL` or the file's path: what messages say instead of the URL. */
  readonly source: string
}

/** resolveWebhook reads the URL from `file` when given, else from the environment; undefined when neither is set. */
export async function resolveWebhook(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<WebhookTarget | undefined> {
  let text: string | undefined
  let source: string
  if (file !== undefined) {
    source = file
    try {
      text = (await readFile(file, 'utf8')).trim()
    } catch (err) {
      throw new InputError(`--webhook-url-file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
    }
  } else {
    source = `$${WEBHOOK_ENV}`
    text = env[WEBHOOK_ENV]?.trim()
    if (text === undefined || text === '') return undefined
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(`the webhook URL in ${source} is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`the webhook URL in ${source} is not http or https`)
  return { url, source }
}

/** postWebhook posts `text` as a Slack-compatible message. */
export async function postWebhook(target: WebhookTarget, text: string): Promise<void> {
  let status: number
  try {
    const response = await request(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      headersTimeout: WEBHOOK_TIMEOUT_MS,
      bodyTimeout: WEBHOOK_TIMEOUT_MS,
    })
    status = response.statusCode
    await response.body.dump()
  } catch (err) {
    // undici's messages can quote the host; keep only the error code.
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name
    throw new WebhookError(`the webhook from ${target.source} could not be reached (${code})`, 'WEBHOOK_UNREACHABLE')
  }
  if (status >= 300) throw new WebhookError(`the webhook from ${target.source} answered ${status}`, 'WEBHOOK_REJECTED')
}
