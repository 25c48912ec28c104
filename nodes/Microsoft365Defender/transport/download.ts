import type { JsonObject } from 'n8n-workflow';

import { cancelSignalOf, ExecutionCancelledError, throwIfCancelled } from './cancellation';
import { apiError } from './errors';
import { headerValue, type DefenderContext, type RawResponse } from './types';

/**
 * Downloads from the short-lived links Microsoft hands out for investigation packages and live
 * response results. Those links point at a storage host and carry their own signature, so this
 * path sends nothing of the credential: no Authorization header, no token, no cookies. It never
 * goes through send.ts (which adds the bearer token) and knows nothing of the credential at all.
 * Only https links are fetched, a redirect is followed only to another https URL (and at most a
 * few times), and the execution's cancel signal aborts the download.
 */

const MAX_REDIRECTS = 3;
const DOWNLOAD_TIMEOUT_MS = 300_000;

export interface DownloadedFile {
	data: Buffer;
	contentType?: string;
	/** From Content-Disposition, when the storage host names the file. */
	fileName?: string;
}

export interface SignedLinkDownload {
	/** What is downloaded, for messages: "the investigation package". */
	what: string;
	itemIndex: number;
	/** What the user can do when the link was refused, e.g. run the operation again for a new link. */
	renewHint: string;
}

/** The link without its query: the signature stays out of messages and logs. */
export function withoutSignature(link: string): string {
	try {
		const url = new URL(link);
		return `${url.origin}${url.pathname}`;
	} catch {
		return '(not a URL)';
	}
}

function httpsUrl(this: DefenderContext, link: string, download: SignedLinkDownload): URL {
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	if (url?.protocol !== 'https:') {
		throw apiError(this.getNode(), { code: 'InsecureDownloadLink', message: `Download link ${withoutSignature(link)} is not https` } as JsonObject, {
			message: `Microsoft's link to ${download.what} is not an https URL (${withoutSignature(link)}); it was not fetched.`,
			description: 'Only https links are downloaded. If a proxy or custom endpoint rewrites the link, let it keep https.',
			itemIndex: download.itemIndex,
		});
	}
	return url;
}

function fileNameOf(disposition: string | undefined): string | undefined {
	if (!disposition) return undefined;
	const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim());
		} catch {
			// A badly encoded name falls back to the plain filename parameter.
		}
	}
	return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}

function storageErrorCode(body: unknown): string | undefined {
	const text = Buffer.isBuffer(body) ? body.toString('utf8', 0, 2000) : typeof body === 'string' ? body : '';
	// Azure Storage answers with <Error><Code>AuthenticationFailed</Code>...
	return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

/** Fetches a signed link without any credential and returns the bytes. */
export async function downloadSignedLink(this: DefenderContext, link: string, download: SignedLinkDownload): Promise<DownloadedFile> {
	const signal = cancelSignalOf(this);
	let url = httpsUrl.call(this, link, download);
	for (let redirects = 0; ; redirects++) {
		throwIfCancelled(signal);
		let response: RawResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url: url.toString(),
				headers: { Accept: '*/*' },
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				abortSignal: signal,
				timeout: DOWNLOAD_TIMEOUT_MS,
			})) as RawResponse;
		} catch (failure) {
			if (signal?.aborted) throw new ExecutionCancelledError(`The execution was stopped while ${download.what} was downloading.`);
			const candidate = failure as { code?: string; cause?: { code?: string } } | undefined;
			const code = candidate?.code ?? candidate?.cause?.code ?? 'NETWORK_ERROR';
			throw apiError(this.getNode(), { code, message: `Could not reach ${withoutSignature(url.toString())} (${code})` } as JsonObject, {
				message: `Could not download ${download.what} from ${withoutSignature(url.toString())} (${code})`,
				description: `The storage host could not be reached. Check the network and any proxy between n8n and Microsoft's storage. ${download.renewHint}`,
				itemIndex: download.itemIndex,
			});
		}
		const status = response.statusCode;
		if (status >= 300 && status < 400 && status !== 304) {
			const location = headerValue(response.headers, 'location');
			let target: URL | undefined;
			try {
				target = location ? new URL(location, url) : undefined;
			} catch {
				target = undefined;
			}
			if (!target || target.protocol !== 'https:' || redirects >= MAX_REDIRECTS) {
				throw apiError(this.getNode(), { code: 'Redirect', message: `Redirect to ${target ? withoutSignature(target.toString()) : '(no valid Location)'}` } as JsonObject, {
					message: `The storage host answered ${status} with a redirect to ${target ? withoutSignature(target.toString()) : 'no valid location'}; it was not followed.`,
					description: 'Downloads follow a few redirects, and only to https URLs.',
					httpCode: String(status),
					itemIndex: download.itemIndex,
				});
			}
			url = target;
			continue;
		}
		if (status >= 400) {
			const code = storageErrorCode(response.body) ?? `HTTP ${status}`;
			throw apiError(this.getNode(), { code, message: `Download of ${withoutSignature(url.toString())} failed with ${status}` } as JsonObject, {
				message: `${code}: the storage host refused the download of ${download.what} (${status}).`,
				description: `Microsoft's download links are valid for a short time only. ${download.renewHint}`,
				httpCode: String(status),
				itemIndex: download.itemIndex,
			});
		}
		const body = response.body;
		return {
			data: Buffer.isBuffer(body) ? body : Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : String(body ?? '')),
			contentType: headerValue(response.headers, 'content-type'),
			fileName: fileNameOf(headerValue(response.headers, 'content-disposition')),
		};
	}
}
