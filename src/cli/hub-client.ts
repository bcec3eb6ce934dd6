import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeyFromEnvironment } from '../config.ts';
import { apiKeyExpiresHeader, apiKeyExpiresSoonDays } from '../http/api-key-expiry.ts';
import { AppError } from '../http/errors.ts';
import { CliError, exitStatus, signalExitStatus, withProblems } from './cli-error.ts';
import { secretFromFile } from './secret-file.ts';
import { timeLeft } from './upload-output.ts';

// A running hub reached through its API with an organization's API key, from a machine that has no access to
// the hub's database (a provider's nightly script): what `cmehub import --hub` and `cmehub upload ... --hub` share.

export type HubOptions = { hub: string; apiKeyFile?: string; wait?: string };

/** A problem+json answer of the hub. */
type Problem = { code?: string; detail?: string; requestId?: string; problems?: { code: string; field?: string; message: string; row?: number }[] };

/** What a provider's key naming a provider is told: the option is an operator's. */
export const leaveProviderOut = "leave --provider out (it names a provider with a hub operator's key).";

/**
 * How long a command following an upload, or its withdrawal, waits before asking the hub how far it is again:
 * soon at first, as a small file is done in well under a second, then every 2 seconds.
 */
const pollMs = (looks: number) => Math.min(2000, 250 * 2 ** looks);
const lookTimeoutMs = 60_000;

/** Answers that say the hub is restarting or overloaded: asked again later, they may succeed. */
const answersToRetry = new Set([429, 502, 503, 504]);

/**
 * The API key: from a file (--api-key-file) or the CMEHUB_API_KEY environment variable, never from the
 * command line, where the process list and the shell's history would show it.
 */
function apiKey(options: HubOptions): string {
  if (options.apiKeyFile) {
    return keyAlone(secretFromFile(options.apiKeyFile, 'API key', "the key your organization's admin created").trim(), `The file ${options.apiKeyFile}`);
  }
  const key = apiKeyFromEnvironment();
  if (!key) {
    throw new CliError(
      "--hub needs an API key of your organization: set CMEHUB_API_KEY, or name a file holding it with --api-key-file. An admin creates one on the organization's page, under API keys.",
    );
  }
  return keyAlone(key, 'CMEHUB_API_KEY');
}

/**
 * The key, when it is one word: a key saved with the words around it (an older `apikey create`'s whole output)
 * would go out as a header no request can carry, which reads as a hub that does not answer.
 */
function keyAlone(key: string, where: string): string {
  if (!/\s/.test(key)) return key;
  const lines = key.split(/\r?\n/).filter((line) => line.trim() !== '').length;
  const holds = lines > 1 ? `${lines} lines` : 'spaces';
  throw new CliError(`${where} holds more than an API key (${holds}): keep only the key in it, the one word that starts with cmh_.`);
}

/**
 * --api-key-file and --wait go with --hub: without it, the command would open a database on this machine (an
 * empty one, on a machine that only reaches the hub) and say what is there, not at the hub.
 */
export function checkHubOptions(options: Partial<HubOptions>): void {
  if (options.hub) return;
  const given = [options.apiKeyFile && '--api-key-file', options.wait && '--wait'].filter(Boolean);
  if (given.length > 0) throw new CliError(`${given.join(' and ')} ${given.length === 1 ? 'goes' : 'go'} with --hub <address>: add the hub's address, such as --hub https://cme.example.org.`);
}

/**
 * The hub's address, checked before anything is sent: its origin. The hub answers at the root of its address (its
 * API under /api/v1, the web app's pages beside it), so a path given with it is dropped: the address of a page
 * pasted from the browser (https://cme.example.org/uploads/...), or of the API (.../api/v1), reaches the same hub.
 */
function hubAddress(hub: string): URL {
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    throw new CliError(`--hub is the hub's address, such as https://cme.example.org (not ${hub}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--hub is an http or https address, such as https://cme.example.org (not ${hub}).`);
  return new URL(url.origin);
}

/** What made a request fail, as Node's fetch gives it: the system's or TLS's error under its own "fetch failed". */
function causeOf(error: unknown): NodeJS.ErrnoException | undefined {
  return error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
}

/** Said of every answer that shows the address given is not the hub's. */
const checkHubAddress = 'Check --hub: it is the address the hub opens at in a browser.';

/** Why the hub could not be reached, in a few words: "ECONNREFUSED", "ENOTFOUND", "a timeout". */
function unreachableReason(error: unknown): string {
  const cause = causeOf(error);
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error && error.name === 'TimeoutError' ? 'no answer within a minute' : 'no answer';
}

/** Certificate errors of Node's TLS: the hub answered, with a certificate this machine does not trust. */
const untrustedCertificateCodes = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * What is wrong with the --hub address itself, when a request to it fails so that asking again cannot help: no
 * computer has its name, its port is one never connected to, https to a port that speaks http, a certificate not
 * trusted. Only before the hub has answered once: a hub that did, then fails, is restarting or unreachable for a while.
 */
export function addressFault(error: unknown, base: URL): string | null {
  const cause = causeOf(error);
  if (cause?.code === 'ENOTFOUND') return `No computer is named ${base.hostname}, the hub's address given (${base.origin}). ${checkHubAddress}`;
  if (cause?.message === 'bad port') {
    return `The hub's address given, ${base.origin}, names port ${base.port}, which browsers and this command refuse to connect to. ${checkHubAddress}`;
  }
  if (cause?.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || cause?.code === 'EPROTO') {
    return `${base.origin} does not answer in https: its port speaks plain http, most likely (the address then begins http://). ${checkHubAddress}`;
  }
  if (cause?.code && untrustedCertificateCodes.has(cause.code)) {
    return (
      `The hub at ${base.origin} answered with a certificate this machine does not trust (${cause.code}). ${checkHubAddress} ` +
      "If the hub's certificate comes from your organization's own authority, give that authority to the command: NODE_EXTRA_CA_CERTS=/path/to/authority.pem."
    );
  }
  return null;
}

/** An answer's media type, without its parameters: "application/json", "text/html", "" when it says none. */
function contentTypeOf(answer: Response): string {
  return answer.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
}

/** The hub answers JSON, and its refusals problem+json. */
const isJson = (type: string) => /[/+]json$/.test(type);

export type HubClient = ReturnType<typeof connectToHub>;

/** A request that only looks: one that hangs (a connection the network dropped unseen) is given up and asked again. */
export const lookRequest = (): RequestInit => ({ signal: AbortSignal.timeout(lookTimeoutMs) });

/**
 * The hub at --hub, with the key from CMEHUB_API_KEY or --api-key-file, all checked before anything is sent.
 * Requests are asked again while the hub does not answer (restarting, unreachable) for up to --wait minutes
 * since it last answered; each outage is said in one line, and its end in another. `afterOutage`: what the
 * command run again does with what it already asked for, said when the hub has not answered for that long.
 */
export function connectToHub(options: HubOptions, afterOutage = '') {
  const base = hubAddress(options.hub);
  const key = apiKey(options);
  const waitMinutes = Number(options.wait ?? '15');
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0) throw new CliError('--wait is a number of minutes (0 or more).');
  const waitMs = waitMinutes * 60_000;
  let outageSince: number | null = null;
  let answeredOnce = false;
  let expiryWarned = false;

  /** A key in its last two weeks is said once per command, on the error stream, so that a scheduled job's log shows it in time. */
  function warnOfKeyExpiry(expires: string | null): void {
    const at = expires ? Date.parse(expires) : Number.NaN;
    if (expiryWarned || Number.isNaN(at) || at - Date.now() > apiKeyExpiresSoonDays * 86_400_000) return;
    expiryWarned = true;
    const days = Math.max(0, Math.ceil((at - Date.now()) / 86_400_000));
    console.error(
      `The API key expires on ${new Date(at).toISOString().slice(0, 10)} (${days === 1 ? 'in 1 day' : `in ${days} days`}). ` +
        'An admin of your organization makes its successor on its page, under API keys: put it in CMEHUB_API_KEY or --api-key-file before then.',
    );
  }

  async function request(route: string, init: () => RequestInit = () => ({})): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const sent = init();
        const headers = { ...(sent.headers as Record<string, string> | undefined), authorization: `Bearer ${key}` };
        const answer = await fetch(new URL(route, base), { ...sent, headers });
        answeredOnce = true;
        if (!answersToRetry.has(answer.status)) {
          warnOfKeyExpiry(answer.headers.get(apiKeyExpiresHeader));
          if (outageSince !== null) console.log('The hub answers again.');
          outageSince = null;
          return answer;
        }
        await answer.body?.cancel();
        reason = `it answered ${answer.status}`;
      } catch (error) {
        const fault = answeredOnce ? null : addressFault(error, base);
        if (fault) throw new CliError(fault);
        reason = unreachableReason(error);
      }
      if (outageSince === null) {
        outageSince = Date.now();
        // Before it ever answered, a hub starting up and an address mistyped look alike: both are said.
        const check = answeredOnce ? '' : ' If its address is wrong (a port mistyped), stop with Ctrl-C and check --hub.';
        console.log(`The hub at ${base.origin} does not answer (${reason}): asking again for up to ${timeLeft(Math.round(waitMs / 1000))}.${check}`);
      }
      if (Date.now() - outageSince >= waitMs) {
        throw new CliError(
          `The hub at ${base.origin} has not answered for ${timeLeft(Math.round(waitMs / 1000))} (${reason}). Run the same command again once it answers ` +
            `(or give --wait more minutes)${afterOutage ? `: ${afterOutage}` : '.'}`,
          { exitStatus: exitStatus.failed },
        );
      }
      await sleep(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
    }
  }

  /**
   * An answer whose body is not what the hub's API answers (a web page where JSON or a file was asked for): the
   * address is another server's, or a proxy's that answers for every path with a page of its own.
   */
  async function notTheApi(answer: Response, type: string): Promise<CliError> {
    await answer.body?.cancel();
    const sent = type === 'text/html' || !type ? 'a web page' : type;
    return new CliError(
      `The address ${base.origin} answered with ${sent}, not the hub's API: give --hub the address the hub opens at, such as https://cme.example.org. ` +
        "If it is, a proxy in front of the hub answered instead: tell the hub's operator.",
    );
  }

  /** The JSON the hub answered with, or, when the answer is not JSON, that the address is not the hub's API. */
  async function json<T>(answer: Response): Promise<T> {
    const type = contentTypeOf(answer);
    if (!isJson(type)) throw await notTheApi(answer, type);
    return (await answer.json()) as T;
  }

  /** A file the hub answered with (a receipt, rows to fix): never a web page, which is another server's. */
  async function file(answer: Response): Promise<NonNullable<Response['body']>> {
    const type = contentTypeOf(answer);
    if (type === 'text/html' || isJson(type) || !answer.body) throw await notTheApi(answer, type);
    return answer.body;
  }

  /**
   * The hub's refusal as the command says it: a refused key with what to do about it; the hub failing, with the
   * request id its operator finds it by; any other as the typed error the hub refused with, which the command
   * says as it says the same refusal of the database here.
   */
  async function refusal(answer: Response): Promise<Error> {
    const type = contentTypeOf(answer);
    if (!isJson(type)) {
      await answer.body?.cancel();
      // The hub answers every refusal as JSON: a web page is another server's (a wrong address, a proxy's own page).
      const sent = type === 'text/html' ? ' with a web page' : type ? ` with ${type}` : '';
      return new CliError(
        `${base.origin} answered ${answer.status}${sent}, not as the hub answers. ${checkHubAddress} ` +
          'If it is, a proxy in front of the hub answered instead: tell the hub\'s operator.',
        { exitStatus: answer.status >= 500 ? exitStatus.failed : exitStatus.refused },
      );
    }
    const problem = (await answer.json().catch(() => ({}))) as Problem;
    const detail = problem.detail ?? `The hub answered ${answer.status}.`;
    if (answer.status === 401) {
      return new CliError(
        `The hub refused the API key: ${withProblems(detail, problem.problems)} Check the key in CMEHUB_API_KEY or --api-key-file; an admin of your organization creates a new one on its page, under API keys.`,
      );
    }
    if (answer.status >= 500) {
      const requestId = problem.requestId ? ` (request id ${problem.requestId})` : '';
      return new CliError(`The hub at ${base.origin} failed on this request: ${detail} Try again later; if it goes on, tell the hub's operator${requestId}.`, {
        exitStatus: exitStatus.failed,
      });
    }
    return new AppError(answer.status, problem.code ?? 'refused', detail, { problems: problem.problems });
  }

  return { origin: base.origin, request, refusal, json, file };
}

/**
 * Asks the hub how far something goes (an upload taken in, a withdrawal) until it is `done`, with `show` at each
 * answer. Ctrl-C, or a script's timeout, stops following, with `interrupted`'s message: the hub goes on. Between
 * looks it waits longer each time, up to 2 s, or as `waitMs` says for what it last saw (undefined: as it would).
 */
export async function followAtHub<T>(
  start: T,
  {
    look,
    show,
    done,
    interrupted,
    waitMs = () => undefined,
  }: { look: () => Promise<T>; show: (current: T) => void; done: (current: T) => boolean; interrupted: (last: T) => string; waitMs?: (current: T) => number | undefined },
): Promise<T> {
  let interruptedBy: NodeJS.Signals | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  try {
    for (let current = start, looks = 0; ; current = await look(), looks++) {
      show(current);
      if (done(current)) return current;
      await sleep(waitMs(current) ?? pollMs(looks));
      if (interruptedBy) throw new CliError(interrupted(current), { exitStatus: signalExitStatus(interruptedBy) });
    }
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}
