import { getOperation } from '../securityItems';
import { INCIDENT } from './kind';

export const { description, execute } = getOperation(INCIDENT);
