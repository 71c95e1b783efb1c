export { createPortalServer, MAX_FORM_BYTES, SESSION_COOKIE, SESSION_IDLE_MS } from './portal-server';
export type { LocalAuthOptions, PortalServerOptions, ServiceAuthOptions } from './portal-server';
export {
  APPROVERS_HEADING,
  describeRole,
  listMyRequests,
  loadPortalContext,
  previewAccessRequest,
  renderRequestDescription,
  searchAccess,
  submitAccessRequest,
  suggestActions,
  suggestResourceArns,
} from './access-portal';
export type { AccessRequestPreview, MyRequest, PortalContext, PreviewOutcome, RoleView, SearchHit, SubmittedRequest } from './access-portal';
export { EXPIRY_LABEL, openExpiryMergeRequests, planExpiry } from './expire-grants';
export type { AccountExpiryPlan, ExpiryOutcome, ExpiryPlan, SkippedGrant } from './expire-grants';
export { validateRequestForm } from './validate-request-form';
export type { RequestForm } from './validate-request-form';
export { loadEditedOrganization } from './load-edited-organization';
export { renderTextDiff } from './render-text-diff';
