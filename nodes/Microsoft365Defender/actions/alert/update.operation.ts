import { commonUpdateBody, updateOperation } from '../securityItems';
import { ALERT } from './kind';

export const { description, execute } = updateOperation(ALERT, [], async (fields) => commonUpdateBody(fields));
