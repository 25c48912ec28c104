import { addCommentOperation } from '../securityItems';
import { INCIDENT } from './kind';

export const { description, execute } = addCommentOperation(INCIDENT);
