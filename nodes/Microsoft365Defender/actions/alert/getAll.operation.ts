import { getManyOperation } from '../securityItems';
import { ALERT } from './kind';

export const { description, execute } = getManyOperation(ALERT);
