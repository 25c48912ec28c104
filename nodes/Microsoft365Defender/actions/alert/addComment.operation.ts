import { addCommentOperation } from '../securityItems';
import { ALERT } from './kind';

export const { description, execute } = addCommentOperation(ALERT);
