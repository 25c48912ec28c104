import { apiPath, fromField } from '../../../nodes/Microsoft365Defender/transport/paths';
import { validateAccountName } from '../../../nodes/Microsoft365Defender/transport/validation';
import { failure } from './validationFailure';

describe('input errors name the field the user filled in', () => {
	it.each(['.', '..', 'CONTOSO\\..', '...@contoso.com'])('a user name of dots only (%s) is refused under User', (name) => {
		const error = failure(() => validateAccountName(name, 'User'));
		expect(error.field).toBe('User');
		expect(error.message).toBe(`User "${name}" is not a user name. Enter the account name (user1), UPN (user1@contoso.com) or DOMAIN\\user1.`);
		expect(validateAccountName('first.last')).toBe('first.last');
	});

	it('apiPath reports a value given with fromField under that field', () => {
		expect(apiPath`/api/users/${fromField('User', 'a b')}/alerts`).toBe('/api/users/a%20b/alerts');
		const error = failure(() => apiPath`/api/users/${fromField('User', '..')}/alerts`);
		expect(error.field).toBe('User');
		expect(error.message).toBe('User ".." cannot be used: it is empty or only dots.');
		expect(failure(() => apiPath`/api/x/${''}`).field).toBe('id');
	});
});
