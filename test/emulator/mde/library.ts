import { createHash } from 'node:crypto';
import type { RequestContext, Router } from '../server';
import type { Store } from '../store/store';
import { collectionResult, entity, mdeTimestamp, requestorName } from './common';
import { MDE_ROLES, mdeRoute } from './permissions';

/**
 * The live response library, /api/libraryfiles (MicrosoftDocs/defender-docs, defender-endpoint/api/):
 * list-library-files.md (GET, a collection of LibraryFile entities), upload-library.md (POST
 * multipart/form-data with File, Description, ParametersDescription, HasParameters,
 * OverrideIfExists; at most 20 MB; 200 with the entity) and delete-library.md (DELETE
 * /api/libraryfiles/{fileName}: 204, or 404 when there is no such file). Library.Manage for all three.
 */

export interface LibraryFileRecord {
	fileName: string;
	content: Buffer;
	description: string | null;
	creationMs: number;
	lastUpdatedMs: number;
	createdBy: string;
	hasParameters: boolean;
	parametersDescription: string | null;
}

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const LIBRARY_KEY = 'liveResponseLibrary';

/** Scripts a tenant's library has before anybody uploads (list-library-files.md's example kinds). */
function seededLibrary(nowMs: number): LibraryFileRecord[] {
	const script = (fileName: string, content: string, description: string, parametersDescription: string | null): LibraryFileRecord => ({
		fileName,
		content: Buffer.from(content),
		description,
		creationMs: nowMs - 30 * 86_400_000,
		lastUpdatedMs: nowMs - 30 * 86_400_000,
		createdBy: 'admin@contoso.com',
		hasParameters: parametersDescription !== null,
		parametersDescription,
	});
	return [
		script('collect-triage.ps1', 'param([int]$Days = 1)\nGet-WinEvent -LogName Security -MaxEvents 100\n', 'Collects recent security events for triage', '-Days <days of events>'),
		script('list-processes.sh', '#!/bin/sh\nps aux\n', 'Lists running processes', null),
	];
}

export function libraryFiles(store: Store, nowMs: number): LibraryFileRecord[] {
	let list = store.mde.get(LIBRARY_KEY) as LibraryFileRecord[] | undefined;
	if (!list) {
		list = seededLibrary(nowMs);
		store.mde.set(LIBRARY_KEY, list);
	}
	return list;
}

export function findLibraryFile(store: Store, nowMs: number, fileName: string): LibraryFileRecord | undefined {
	return libraryFiles(store, nowMs).find((file) => file.fileName.toLowerCase() === fileName.toLowerCase());
}

function serializeLibraryFile(file: LibraryFileRecord): Record<string, unknown> {
	return {
		fileName: file.fileName,
		sha256: createHash('sha256').update(file.content.toString('latin1'), 'latin1').digest('hex'),
		description: file.description,
		creationTime: mdeTimestamp(file.creationMs),
		lastUpdatedTime: mdeTimestamp(file.lastUpdatedMs),
		createdBy: file.createdBy,
		hasParameters: file.hasParameters,
		parametersDescription: file.parametersDescription,
	};
}

interface FormPart {
	name: string;
	fileName?: string;
	content: Buffer;
}

/** multipart/form-data (RFC 7578); the body arrives as text, so the bytes are read back as latin1. */
function parseMultipart(context: RequestContext): FormPart[] {
	const contentType = String(context.headers['content-type'] ?? '');
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!/^multipart\/form-data/i.test(contentType) || !boundary) {
		return context.fail(400, 'InvalidRequestBody', 'Content-Type must be multipart/form-data with a boundary.');
	}
	const body = Buffer.from(context.rawBody, 'utf8').toString('latin1');
	const delimiter = `--${boundary[1] ?? boundary[2]}`;
	const parts: FormPart[] = [];
	for (const chunk of body.split(delimiter).slice(1)) {
		if (chunk.startsWith('--')) break;
		const headerEnd = chunk.indexOf('\r\n\r\n');
		if (headerEnd < 0) continue;
		const headers = chunk.slice(0, headerEnd);
		const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (!name) continue;
		const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
		const value = chunk.slice(headerEnd + 4).replace(/\r\n$/, '');
		parts.push({ name, fileName: fileName === undefined ? undefined : Buffer.from(fileName, 'latin1').toString('utf8'), content: Buffer.from(value, 'latin1') });
	}
	return parts;
}

function formBoolean(context: RequestContext, parts: FormPart[], name: string): boolean {
	const part = parts.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
	const value = part ? part.content.toString('utf8').trim().toLowerCase() : '';
	if (value === '' || value === 'false') return false;
	if (value === 'true') return true;
	return context.fail(400, 'InvalidInput', `Invalid input ${name}: ${value}. Expected true or false.`);
}

export function registerLibraryRoutes(router: Router): void {
	const route = mdeRoute(router);

	route('GET', '/api/libraryfiles', MDE_ROLES.libraryManage, (context) =>
		collectionResult(context, 'LibraryFiles', libraryFiles(context.runtime.store, context.runtime.clock.nowMs()).map(serializeLibraryFile)),
	);

	route('POST', '/api/libraryfiles', MDE_ROLES.libraryManage, (context) => {
		const parts = parseMultipart(context);
		const file = parts.find((part) => part.name.toLowerCase() === 'file' && part.fileName !== undefined);
		if (!file?.fileName) return context.fail(400, 'InvalidRequestBody', 'The form has no File part with a file name.');
		if (file.content.length === 0) return context.fail(400, 'InvalidRequestBody', 'The file is empty.');
		if (file.content.length > MAX_FILE_BYTES) return context.fail(400, 'FileTooLarge', 'File max size limitation is 20MB.');
		const text = (name: string) => parts.find((part) => part.name.toLowerCase() === name.toLowerCase())?.content.toString('utf8').trim() || null;
		const override = formBoolean(context, parts, 'OverrideIfExists');
		const hasParameters = formBoolean(context, parts, 'HasParameters');
		const now = context.runtime.clock.nowMs();
		const list = libraryFiles(context.runtime.store, now);
		const existing = findLibraryFile(context.runtime.store, now, file.fileName);
		if (existing && !override) {
			return context.fail(400, 'BadRequest', `File ${file.fileName} already exists in the library. Set OverrideIfExists to replace it.`);
		}
		const record: LibraryFileRecord = {
			fileName: existing?.fileName ?? file.fileName,
			content: file.content,
			description: text('Description'),
			creationMs: existing?.creationMs ?? now,
			lastUpdatedMs: now,
			createdBy: requestorName(context),
			hasParameters,
			parametersDescription: text('ParametersDescription'),
		};
		if (existing) list.splice(list.indexOf(existing), 1, record);
		else list.push(record);
		return entity(context, 'LibraryFiles/$entity', serializeLibraryFile(record));
	});

	route('DELETE', '/api/libraryfiles/:fileName', MDE_ROLES.libraryManage, (context) => {
		const now = context.runtime.clock.nowMs();
		const list = libraryFiles(context.runtime.store, now);
		const existing = findLibraryFile(context.runtime.store, now, context.params.fileName);
		if (!existing) return context.fail(404, 'NotFound', `File ${context.params.fileName} was not found in the library.`);
		list.splice(list.indexOf(existing), 1);
		return { status: 204 };
	});
}
