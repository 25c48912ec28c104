/**
 * File names that come from outside (a storage host's Content-Disposition, a path on a device)
 * become the name of n8n binary data, which a later node may write to disk (Write Binary File,
 * an FTP or S3 upload). So the name is reduced to one plain base name: no folders, no `.` or
 * `..`, no control or bidirectional-override characters, at most 255 bytes.
 */

const MAX_NAME_BYTES = 255;
// C0 and C1 controls, DEL, and the Unicode marks that reorder text (a name can look like .pdf and be .exe).
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The last segment of a name or path, made safe; undefined when nothing usable is left. */
export function safeBaseName(name: string | undefined): string | undefined {
	if (!name) return undefined;
	const segment = name.replace(UNSAFE_CHARACTERS, '').split(/[\\/]/).pop() ?? '';
	// A drive prefix (C:evil.exe) and surrounding blanks or dots go; Windows ignores trailing dots anyway.
	const trimmed = segment.replace(/^[a-zA-Z]:/, '').trim().replace(/^\.+$/, '').replace(/\.+$/, '');
	if (!trimmed) return undefined;
	let safe = trimmed;
	while (Buffer.byteLength(safe, 'utf8') > MAX_NAME_BYTES) safe = Array.from(safe).slice(1).join('');
	return safe;
}

/** The file name a Content-Disposition header gives (RFC 6266: filename* wins over filename), made safe. */
export function fileNameFromDisposition(disposition: string | undefined): string | undefined {
	if (!disposition) return undefined;
	const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			const name = safeBaseName(decodeURIComponent(encoded[1].trim()));
			if (name) return name;
		} catch {
			// A badly encoded name falls back to the plain filename parameter.
		}
	}
	return safeBaseName(/filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim());
}
