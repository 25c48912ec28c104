import { getManyOperation } from '../securityItems';
import { INCIDENT } from './kind';

export const { description, execute } = getManyOperation(INCIDENT);
