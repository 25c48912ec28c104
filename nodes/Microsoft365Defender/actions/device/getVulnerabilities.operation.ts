import { relatedOperation } from './related';

export const { description, execute } = relatedOperation('getVulnerabilities', 'vulnerabilities', 'Vulnerability.Read.All');
