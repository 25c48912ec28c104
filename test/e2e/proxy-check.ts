/** Reading the test proxy's log (test/emulator/proxy.ts) against an emulator's three hosts. */
import type { EmulatorInfo } from '../../scripts/lib/emulator.cjs';
import type { ProxyLogEntry } from '../emulator/proxy';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

function hostAndPort(target: string): { host: string; port: string } | undefined {
	const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
	return match ? { host: match[1].toLowerCase(), port: match[2] } : undefined;
}

function sameEndpoint(target: string, url: string): boolean {
	const wanted = new URL(url);
	const got = hostAndPort(target);
	if (!got) return false;
	const wantedHost = wanted.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	const hostMatches = got.host === wantedHost || (LOCAL_NAMES.has(got.host) && LOCAL_NAMES.has(wantedHost));
	return hostMatches && got.port === (wanted.port || '443');
}

/** How many CONNECT tunnels the proxy opened to the emulator's login, Graph and Defender for Endpoint hosts. */
export function proxiedTargets(log: ProxyLogEntry[], info: EmulatorInfo): { login: number; graph: number; mde: number; targets: string[] } {
	const connects = log.filter((entry) => entry.method === 'CONNECT');
	const count = (url: string) => connects.filter((entry) => sameEndpoint(entry.target, url)).length;
	return {
		login: count(`https://${info.loginHost}`),
		graph: count(info.graphUrl),
		mde: count(info.mdeUrl),
		targets: [...new Set(connects.map((entry) => entry.target))],
	};
}
