/** Options of {@link buildTrailArn}. */
export interface TrailArnOptions {
  readonly partition: string;
  /** Home region of the trail. */
  readonly region: string;
  /** Account the trail lives in (the management account for an organization trail). */
  readonly accountId: string;
  /** Trail name. */
  readonly name: string;
}

/** The ARN of a trail, known before it exists: policies name it literally. */
export function buildTrailArn(options: TrailArnOptions): string {
  return `arn:${options.partition}:cloudtrail:${options.region}:${options.accountId}:trail/${options.name}`;
}

/** The KMS alias of a trail's key (`alias/<trail>`): the trail names its key by alias ARN, across accounts. */
export function trailKeyAliasName(trailName: string): string {
  return `alias/${trailName}`;
}

/** Options of {@link buildTrailKeyAliasArn}. */
export interface TrailKeyAliasArnOptions {
  readonly partition: string;
  /** Region of the key (the log bucket's region). */
  readonly region: string;
  /** Account of the key (the log-archive account). */
  readonly accountId: string;
  /** Trail name. */
  readonly trailName: string;
}

/** The alias ARN of a trail's key: usable from the management account's stack without reading the log-archive state. */
export function buildTrailKeyAliasArn(options: TrailKeyAliasArnOptions): string {
  return `arn:${options.partition}:kms:${options.region}:${options.accountId}:${trailKeyAliasName(options.trailName)}`;
}
