import { getOperation } from '../securityItems';
import { ALERT } from './kind';

export const { description, execute } = getOperation(ALERT);
