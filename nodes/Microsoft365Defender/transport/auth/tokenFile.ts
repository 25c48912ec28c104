import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, parse, posix, resolve, sep } from 'node:path';

import { CredentialConfigurationError } from '../apis/clouds';

/**
 * The Federated Token File a credential names is read under the rules n8n applies to its own
 * file nodes (n8n-core's file-system helpers, n8n 2.x): only inside N8N_RESTRICT_FILE_ACCESS_TO
 * (~/.n8n-files when the variable is unset, anywhere when it is set empty), never n8n's own
 * files (unless N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false) nor N8N_BLOCK_FILE_PATTERNS, compared
 * on real paths. Stricter than those nodes: no symbolic link anywhere in the path, so the path
 * checked is the file read. The credential and its test run without a node's helpers, so the
 * rules are applied here, the same way for every caller.
 *
 * Every refusal is this one message, so the field cannot tell which files exist.
 */
export const TOKEN_FILE_REFUSED =
	'The Federated Token File cannot be used: it is missing or unreadable, lies outside the folders n8n lets workflows read (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files), is one of n8n\'s own files, has a symbolic link in its path, or does not hold a JWT. Put the token (one JWT) in an allowed folder and give its full path.';

const DEFAULT_ALLOWED_FOLDER = '~/.n8n-files';
const DEFAULT_BLOCKED_PATTERNS = '^(?:[^/]*/)*\\.git(?:/.*)?$';
/** A federated token is a few kB; anything bigger is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function refused(): CredentialConfigurationError {
	return new CredentialConfigurationError('workloadIdentityFile', TOKEN_FILE_REFUSED);
}

/** os.homedir() reads HOME first on POSIX; reading it from the environment given keeps the rules testable. */
function expandHome(path: string, env: NodeJS.ProcessEnv): string {
	const home = env.HOME || homedir();
	if (path === '~') return home;
	return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function listOf(value: string | undefined, separator: string): string[] {
	return String(value ?? '')
		.split(separator)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

async function realOrResolved(path: string, env: NodeJS.ProcessEnv): Promise<string> {
	const resolved = resolve(expandHome(path, env));
	return await realpath(resolved).catch(() => resolved);
}

function isContainedWithin(parent: string, child: string): boolean {
	return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** n8n's own files, as n8n-core's getN8nRestrictedPaths lists them. */
function n8nOwnPaths(env: NodeJS.ProcessEnv): string[] {
	if (env.N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES === 'false') return [];
	const userHome = env.N8N_USER_FOLDER ?? env.HOME ?? process.cwd();
	return [
		join(userHome, '.n8n'),
		join(userHome, '.cache/n8n/public'),
		...listOf(env.N8N_CONFIG_FILES, ','),
		...listOf(env.N8N_CUSTOM_EXTENSIONS, ';'),
		...listOf(env.N8N_BINARY_DATA_STORAGE_PATH, '\n'),
		...listOf(env.N8N_UM_EMAIL_TEMPLATES_INVITE, '\n'),
		...listOf(env.N8N_UM_EMAIL_TEMPLATES_PWRESET, '\n'),
	];
}

function matchesBlockedPattern(path: string, env: NodeJS.ProcessEnv): boolean {
	const normalized = posix.normalize(path.replace(/\\/g, '/'));
	return listOf(env.N8N_BLOCK_FILE_PATTERNS ?? DEFAULT_BLOCKED_PATTERNS, ';').some((pattern) => {
		try {
			return new RegExp(pattern, 'mi').test(normalized);
		} catch {
			return true;
		}
	});
}

async function isBlocked(realPath: string, env: NodeJS.ProcessEnv): Promise<boolean> {
	const own = await Promise.all(n8nOwnPaths(env).map((own) => realOrResolved(own, env)));
	if (own.some((folder) => isContainedWithin(folder, realPath))) return true;
	if (matchesBlockedPattern(realPath, env)) return true;
	// n8n reads the variable as set when present, even empty (no restriction then).
	const configured = 'N8N_RESTRICT_FILE_ACCESS_TO' in env ? env.N8N_RESTRICT_FILE_ACCESS_TO : DEFAULT_ALLOWED_FOLDER;
	const allowed = await Promise.all(listOf(configured, ';').map((folder) => realOrResolved(folder, env)));
	return allowed.length > 0 && !allowed.some((folder) => isContainedWithin(folder, realPath));
}

async function hasSymlinkedComponent(path: string): Promise<boolean> {
	const { root } = parse(path);
	let current = root;
	for (const part of path.slice(root.length).split(sep).filter(Boolean)) {
		current = join(current, part);
		if ((await lstat(current)).isSymbolicLink()) return true;
	}
	return false;
}

async function readSmallRegularFile(path: string): Promise<string> {
	const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	try {
		const stats = await handle.stat();
		if (!stats.isFile() || stats.size > MAX_TOKEN_FILE_BYTES) throw refused();
		return (await handle.readFile('utf8')).trim();
	} finally {
		await handle.close();
	}
}

export interface TokenFileContent {
	token: string;
	/** The file's real path, to tell the server's own token file when a credential names it. */
	realPath: string;
}

/**
 * Reads a credential's Federated Token File under n8n's file rules. Only a JWT leaves this
 * function: the content is never logged or put in an error.
 */
export async function readCredentialTokenFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<TokenFileContent> {
	try {
		const requested = resolve(expandHome(path.trim(), env));
		if (await hasSymlinkedComponent(requested)) throw refused();
		const realPath = await realpath(requested);
		if (await isBlocked(realPath, env)) throw refused();
		const token = await readSmallRegularFile(realPath);
		if (!COMPACT_JWT.test(token)) throw refused();
		return { token, realPath };
	} catch {
		throw refused();
	}
}

/** Whether a real path is the token file the server's environment names (AZURE_FEDERATED_TOKEN_FILE). */
export async function isServerTokenFile(realPath: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
	const serverFile = String(env.AZURE_FEDERATED_TOKEN_FILE ?? '').trim();
	if (!serverFile) return false;
	return (await realpath(serverFile).catch(() => undefined)) === realPath;
}
