// The contract's closed vocabularies (../shared/contract.md), each spelled exactly as there.
// The JSON Schemas, the policy checker and the engine all read these lists; nothing else restates them.

export const EVENT_TYPES = [
  'account.register',
  'content.publish',
  'interaction.post',
  'content.flagged',
  'feature.launch',
  'access.request',
  'identity.disclosure',
  'record.delete',
] as const;

export const SERVICES = ['live_broadcast', 'audio_video'] as const;
export const LICENSES = [
  'icp_filing',
  'news_information',
  'online_performance',
  'audiovisual_program',
  'telecom_business',
] as const;
export const BUSINESSES = ['news', 'performance', 'audiovisual_program', 'commercial_telecom'] as const;
export const ACTOR_ROLES = ['publisher', 'user'] as const;
export const VERIFIED_IDENTITIES = [
  'phone_number',
  'identity_document',
  'business_license',
  'organization_code',
] as const;
export const CONTENT_FORMS = ['live_stream', 'video', 'audio', 'image', 'text', 'comment', 'barrage'] as const;
export const CONTENT_CATEGORIES = ['general', 'news', 'performance', 'audiovisual_program'] as const;
export const PROHIBITED_CATEGORIES = [
  'national_security',
  'social_stability',
  'social_order',
  'pornography',
  'rumor',
  'false_news',
  'infringement',
  'other_unlawful',
] as const;
export const REQUESTER_KINDS = ['network_access', 'app_store', 'law_enforcement', 'third_party'] as const;
export const RECORD_KINDS = ['content_and_logs', 'network_logs'] as const;

export const VERIFICATION_CODES = ['phone_number', 'identity_document', 'real_identity'] as const;
export const LABEL_CODES = ['platform_identification', 'synthetic_content', 'news_source'] as const;
export const DISPOSAL_CODES = [
  'warn',
  'stop_transmission',
  'remove_content',
  'suspend_publishing',
  'restrict_function',
  'suspend_updates',
  'close_account',
  'blacklist',
  'deny_registration',
  'refute_rumor',
  'report_to_authority',
  'keep_record',
  'deny_access_service',
  'deny_app_distribution',
  'stop_service',
] as const;
export const OBLIGATION_CODES = [
  'pre_publication_review',
  'security_assessment',
  'public_security_filing',
  'supplement_materials',
  'handle_complaint',
  // Extension (live-2016 art. 12 para. 1): hand identity information to law enforcement asking by law.
  'provide_identity_information',
] as const;

/** Which verified identities meet each verification code (contract, "Codes"). */
export const VERIFICATION_MET_BY: Record<(typeof VERIFICATION_CODES)[number], readonly (typeof VERIFIED_IDENTITIES)[number][]> = {
  phone_number: ['phone_number'],
  identity_document: ['identity_document', 'business_license', 'organization_code'],
  real_identity: VERIFIED_IDENTITIES,
};
