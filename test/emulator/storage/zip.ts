/**
 * A minimal zip writer (entries stored, not compressed) for the investigation packages the
 * emulator hands out: enough for a test to open the archive and read its entries back.
 * Layout per PKWARE's APPNOTE.TXT: local file headers, then the central directory, then its end record.
 */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
	name: string;
	content: Buffer;
}

export function createZip(entries: ZipEntry[]): Buffer {
	const named = entries.map((entry) => ({ ...entry, name: Buffer.from(entry.name, 'utf8'), crc: crc32(entry.content) }));
	const localsSize = named.reduce((total, entry) => total + 30 + entry.name.length + entry.content.length, 0);
	const centralSize = named.reduce((total, entry) => total + 46 + entry.name.length, 0);
	const out = Buffer.alloc(localsSize + centralSize + 22);
	let at = 0;
	const offsets: number[] = [];
	for (const entry of named) {
		offsets.push(at);
		out.writeUInt32LE(0x04034b50, at);
		out.writeUInt16LE(20, at + 4); // version needed
		out.writeUInt16LE(0x0800, at + 6); // UTF-8 names
		out.writeUInt16LE(0, at + 8); // stored
		out.writeUInt32LE(entry.crc, at + 14);
		out.writeUInt32LE(entry.content.length, at + 18);
		out.writeUInt32LE(entry.content.length, at + 22);
		out.writeUInt16LE(entry.name.length, at + 26);
		out.set(entry.name, at + 30);
		out.set(entry.content, at + 30 + entry.name.length);
		at += 30 + entry.name.length + entry.content.length;
	}
	for (const [index, entry] of named.entries()) {
		out.writeUInt32LE(0x02014b50, at);
		out.writeUInt16LE(20, at + 4);
		out.writeUInt16LE(20, at + 6);
		out.writeUInt16LE(0x0800, at + 8);
		out.writeUInt32LE(entry.crc, at + 16);
		out.writeUInt32LE(entry.content.length, at + 20);
		out.writeUInt32LE(entry.content.length, at + 24);
		out.writeUInt16LE(entry.name.length, at + 28);
		out.writeUInt32LE(offsets[index], at + 42);
		out.set(entry.name, at + 46);
		at += 46 + entry.name.length;
	}
	out.writeUInt32LE(0x06054b50, at);
	out.writeUInt16LE(named.length, at + 8);
	out.writeUInt16LE(named.length, at + 10);
	out.writeUInt32LE(centralSize, at + 12);
	out.writeUInt32LE(localsSize, at + 16);
	return out;
}

/** Reads a zip written with stored entries (what tests use to open a downloaded package). */
export function readZip(archive: Buffer): ZipEntry[] {
	const endAt = archive.lastIndexOf('PK\u0005\u0006', undefined, 'latin1');
	if (endAt < 0) throw new Error('Not a zip archive: no end of central directory record');
	const count = archive.readUInt16LE(endAt + 10);
	let at = archive.readUInt32LE(endAt + 16);
	const entries: ZipEntry[] = [];
	for (let index = 0; index < count; index++) {
		if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central directory entry ${index}`);
		const method = archive.readUInt16LE(at + 10);
		const crc = archive.readUInt32LE(at + 16);
		const size = archive.readUInt32LE(at + 20);
		const nameLength = archive.readUInt16LE(at + 28);
		const extraLength = archive.readUInt16LE(at + 30);
		const commentLength = archive.readUInt16LE(at + 32);
		const localAt = archive.readUInt32LE(at + 42);
		const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
		if (method !== 0) throw new Error(`Entry ${name} is compressed (method ${method}); only stored entries are read`);
		const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
		const content = archive.subarray(dataAt, dataAt + size);
		if (crc32(content) !== crc) throw new Error(`Entry ${name} fails its CRC-32 check`);
		entries.push({ name, content });
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}
