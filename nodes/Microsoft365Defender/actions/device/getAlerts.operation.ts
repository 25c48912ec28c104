import { relatedOperation } from './related';

export const { description, execute } = relatedOperation('getAlerts', 'alerts', 'Alert.Read.All');
