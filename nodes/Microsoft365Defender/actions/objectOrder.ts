/**
 * Work on one object (an incident, say) done by several items of one execution, one item at a
 * time in the order the items asked: a read-modify-write of one item never overwrites another's.
 * Items start in input order, so calling this before the item's first await keeps input order.
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

export async function oneAtATimePerObject<T>(execution: object, objectKey: string, work: () => Promise<T>): Promise<T> {
	let perExecution = queues.get(execution);
	if (!perExecution) {
		perExecution = new Map();
		queues.set(execution, perExecution);
	}
	const previous = perExecution.get(objectKey) ?? Promise.resolve();
	const result = previous.then(work);
	const settled = result.then(
		() => undefined,
		() => undefined,
	);
	perExecution.set(objectKey, settled);
	void settled.then(() => {
		if (perExecution.get(objectKey) === settled) perExecution.delete(objectKey);
	});
	return await result;
}
