/**
 * Run by jsonBody.test.ts as `node --allow-natives-syntax --import tsx hiddenClassProbe.ts <shapes>`:
 * fills V8's root hidden class for 4-property JSON objects with `shapes` distinct shapes (as a
 * long-running n8n does), then reports whether the rows of a big result share one hidden class,
 * parsed with plain JSON.parse and with parseResponseBody.
 */
import { parseResponseBody, SEPARATE_CONTEXT_MIN_BYTES } from '../../../nodes/Microsoft365Defender/transport/pipeline/jsonBody';

const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const shapes = Number(process.argv[2]);
const kept: unknown[] = [];
for (let index = 0; index < shapes; index++) kept.push(JSON.parse(`{"key${index}":1,"b":2,"c":3,"d":4}`));

const rows = [];
for (let row = 0; rows.length * 80 < SEPARATE_CONTEXT_MIN_BYTES * 2; row++) {
	rows.push({ RowNumber: row, DeviceName: `device-${row}`, Timestamp: '2026-11-26T10:00:00Z', Payload: `payload-${row}` });
}
const text = JSON.stringify({ results: rows });
const plain = (JSON.parse(text) as { results: object[] }).results;
const ours = (parseResponseBody(Buffer.from(text), 'application/json') as { results: object[] }).results;
process.stdout.write(
	JSON.stringify({
		keptShapes: kept.length,
		rows: ours.length,
		plainShared: haveSameMap(plain[0], plain[plain.length - 1]),
		oursShared: haveSameMap(ours[0], ours[ours.length - 1]),
	}),
);
