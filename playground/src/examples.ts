// One example event of each type, to start from in the event panel. A test checks each is a valid
// Event and that every type has one.
import type { Event } from '../../engine/schema/contract.js';

export interface Example {
  readonly title: { readonly zh: string; readonly en: string };
  readonly event: Event;
}

const liveProvider = {
  id: 'live-app',
  services: ['live_broadcast'],
  licenses: ['icp_filing'],
  businesses: [],
  hasStorage: true,
  launchedAt: '2018-06-01',
  publicSecurityFiledAt: '2018-06-20',
} satisfies Event['provider'];

export const EXAMPLES: readonly Example[] = [
  {
    title: { zh: '直播用户注册，未认证任何身份', en: 'a live user registers with no verified identity' },
    event: {
      id: 'ex-register',
      type: 'account.register',
      occurredAt: '2019-03-01T10:00:00+08:00',
      provider: liveProvider,
      actor: { id: 'user-1', role: 'user', verified: [], agreementSigned: true },
    },
  },
  {
    title: { zh: '主播只认证了手机号就开播', en: 'a publisher verified only by phone starts a live stream' },
    event: {
      id: 'ex-publish',
      type: 'content.publish',
      occurredAt: '2019-03-01T20:00:00+08:00',
      provider: liveProvider,
      actor: { id: 'anchor-1', role: 'publisher', verified: ['phone_number'], agreementSigned: true, priorViolations: 0 },
      content: { id: 'stream-1', form: 'live_stream', category: 'general', prohibited: [] },
    },
  },
  {
    title: { zh: '已认证用户发弹幕', en: 'a verified user posts a barrage comment' },
    event: {
      id: 'ex-comment',
      type: 'interaction.post',
      occurredAt: '2019-03-01T20:05:00+08:00',
      provider: liveProvider,
      actor: { id: 'user-2', role: 'user', verified: ['phone_number'], agreementSigned: true, priorViolations: 0 },
      content: { id: 'barrage-1', form: 'barrage', category: 'general', streamCategory: 'general', prohibited: [] },
    },
  },
  {
    title: { zh: '公众举报直播含淫秽色情内容', en: 'a live stream reported by the public for pornography' },
    event: {
      id: 'ex-flagged',
      type: 'content.flagged',
      occurredAt: '2019-03-01T20:10:00+08:00',
      provider: liveProvider,
      actor: { id: 'anchor-2', role: 'publisher', verified: ['identity_document'], priorViolations: 1 },
      content: { id: 'stream-2', form: 'live_stream', category: 'general', prohibited: ['pornography'], publicComplaint: true },
    },
  },
  {
    title: { zh: '上线未经安全评估的深度合成功能', en: 'a deep-synthesis feature launched without a security assessment' },
    event: {
      id: 'ex-feature',
      type: 'feature.launch',
      occurredAt: '2020-06-01T09:00:00+08:00',
      provider: { id: 'av-app', services: ['audio_video'], licenses: ['icp_filing'], businesses: [], hasStorage: true },
      feature: { id: 'face-swap', deepSynthesis: true, mediaAttributes: true, socialMobilization: false, securityAssessed: false },
    },
  },
  {
    title: { zh: '应用商店上架未备案的直播应用', en: 'an app store asked to list a live app with no ICP filing' },
    event: {
      id: 'ex-access',
      type: 'access.request',
      occurredAt: '2019-03-01T09:00:00+08:00',
      provider: { id: 'new-live-app', services: ['live_broadcast'], licenses: [], businesses: [], launchedAt: '2019-01-10' },
      requester: { kind: 'app_store' },
    },
  },
  {
    title: { zh: '第三方无法律依据索要用户身份信息', en: 'a third party asks for identity information without a legal basis' },
    event: {
      id: 'ex-disclosure',
      type: 'identity.disclosure',
      occurredAt: '2019-03-01T11:00:00+08:00',
      provider: liveProvider,
      actor: { id: 'user-1', role: 'user', verified: ['phone_number'] },
      requester: { kind: 'third_party', legalBasis: false },
    },
  },
  {
    title: { zh: '删除九天前的直播内容和日志', en: 'deleting nine-day-old live content and logs' },
    event: {
      id: 'ex-delete',
      type: 'record.delete',
      occurredAt: '2019-03-10T11:00:00+08:00',
      provider: liveProvider,
      record: { kind: 'content_and_logs', createdAt: '2019-03-01T20:00:00+08:00' },
    },
  },
];
