/** Small seeded PRNG (mulberry32) so seed data is identical run to run. */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0 || 0x9e3779b9;
	}

	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let value = this.state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	}

	int(minInclusive: number, maxInclusive: number): number {
		return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	/** Weighted pick: entries are [value, weight]. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
		let roll = this.next() * total;
		for (const [value, weight] of entries) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return entries[entries.length - 1][0];
	}

	sample<T>(items: readonly T[], count: number): T[] {
		const pool = [...items];
		const chosen: T[] = [];
		while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
		return chosen;
	}

	hex(length: number): string {
		let text = '';
		while (text.length < length) text += this.int(0, 15).toString(16);
		return text;
	}

	guid(): string {
		const hex = this.hex(32);
		const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}

	/** Looks like an Entra client secret value: 3 chars, digit, 'Q~', 34 more. */
	secretValue(): string {
		const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~';
		let text = '';
		for (let index = 0; index < 34; index++) text += alphabet[this.int(0, alphabet.length - 1)];
		return `${this.pick(['abc', 'Xy7', 'k9P', 'Mno'])}${this.int(1, 9)}Q~${text}`;
	}
}
