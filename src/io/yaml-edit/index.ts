export { editInlinePolicies } from './edit-inline-policy';
export type { InlinePolicyEdit, YamlEditResult } from './edit-inline-policy';
export { applyRecommendations } from './apply-recommendations';
export type { AppliedEdit, ApplyRecommendationsOptions } from './apply-recommendations';
export { applyRoleFileChange, removeExpiredParts } from './edit-role-grants';
export type { ExpiredPart, RemoveExpiredResult } from './edit-role-grants';
