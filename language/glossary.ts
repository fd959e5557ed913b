// Plain names, in Chinese and English, for every event field and outcome code: what explanations,
// hovers and reports say instead of a JSON path. A test checks that nothing in the vocabulary lacks one.

export interface Term {
  readonly zh: string;
  readonly en: string;
}

const t = (zh: string, en: string): Term => ({ zh, en });

export const FIELD_TERMS: Readonly<Record<string, Term>> = {
  id: t('事件编号', 'event id'),
  type: t('事件类型', 'event type'),
  occurredAt: t('发生时间', 'time of the event'),
  'provider.id': t('服务提供者编号', 'provider id'),
  'provider.services': t('提供的服务', 'services provided'),
  'provider.licenses': t('持有的备案与许可', 'filings and licences held'),
  'provider.businesses': t('开展的业务', 'businesses carried on'),
  'provider.launchedAt': t('服务上线日期', 'date the service went live'),
  'provider.servedSince': t('开始提供接入或分发服务的日期', 'date the requester began serving it'),
  'provider.publicSecurityFiledAt': t('公安备案日期', 'date of the public security filing'),
  'provider.refusedToSupplyMaterials': t('拒绝提供相关材料', 'refused to supply the materials'),
  'provider.hasStorage': t('具备存储能力或购买存储服务', 'has or buys storage'),
  'provider.blacklisted': t('列入违法网络直播服务提供者黑名单', 'on the blacklist of unlawful live providers'),
  'actor.id': t('用户编号', 'actor id'),
  'actor.role': t('身份（发布者或用户）', 'role (publisher or user)'),
  'actor.verified': t('已认证的真实身份信息', 'verified real identity'),
  'actor.blacklisted': t('列入黑名单', 'on the blacklist'),
  'actor.agreementSigned': t('已签订服务协议', 'signed the service agreement'),
  'actor.newsQualified': t('具备互联网新闻信息服务资质', 'holds the news information service qualification'),
  'actor.priorViolations': t('此前违规次数', 'earlier violations'),
  'content.id': t('内容编号', 'content id'),
  'content.form': t('内容形式', 'form of the content'),
  'content.category': t('内容类别', 'category of the content'),
  'content.reprint': t('转载', 'reprinted'),
  'content.sourceIndicated': t('在显著位置注明来源', 'source shown conspicuously'),
  'content.reprintSourceAuthorized': t('转载自国家规定范围内的单位', 'reprinted from a unit within the state-specified scope'),
  'content.synthetic': t('利用深度学习、虚拟现实等新技术制作', 'made with deep learning, virtual reality or similar'),
  'content.untrue': t('非真实音视频信息', 'non-real audio or video'),
  'content.conspicuousLabel': t('以显著方式标识', 'labelled conspicuously'),
  'content.platformMark': t('加注平台标识信息', 'carries the platform identification'),
  'content.preReviewed': t('已先审后发', 'reviewed before release'),
  'content.prohibited': t('含有法律法规禁止的信息内容', 'prohibited content found in it'),
  'content.publicComplaint': t('来自公众投诉举报', 'flagged by a public complaint'),
  'feature.id': t('功能编号', 'feature id'),
  'feature.deepSynthesis': t('基于深度学习、虚拟现实等新技术', 'based on deep learning, virtual reality or similar'),
  'feature.mediaAttributes': t('具有媒体属性', 'has media attributes'),
  'feature.socialMobilization': t('具有社会动员功能', 'has social mobilisation functions'),
  'feature.securityAssessed': t('已开展安全评估', 'security assessment done'),
  'requester.kind': t('请求方类型', 'kind of requester'),
  'requester.legalBasis': t('依法提出请求', 'asks on a legal basis'),
  'record.kind': t('记录类型', 'kind of record'),
  'record.createdAt': t('记录生成时间', 'time the record was made'),
};

export const VALUE_TERMS: Readonly<Record<string, Term>> = {
  // services, licences, businesses
  live_broadcast: t('互联网直播服务', 'live broadcast service'),
  audio_video: t('网络音视频信息服务', 'audio and video information service'),
  icp_filing: t('ICP备案', 'ICP filing'),
  news_information: t('互联网新闻信息服务许可', 'news information service licence'),
  online_performance: t('网络文化经营（网络表演）许可', 'online performance licence'),
  audiovisual_program: t('信息网络传播视听节目许可', 'audiovisual programme licence'),
  telecom_business: t('电信业务经营许可', 'telecommunications business licence'),
  news: t('新闻', 'news'),
  performance: t('网络表演', 'performance'),
  commercial_telecom: t('经营电信业务', 'commercial telecommunications'),
  publisher: t('发布者', 'publisher'),
  user: t('用户', 'user'),
  // verified identities and verification codes
  phone_number: t('移动电话号码', 'mobile phone number'),
  identity_document: t('身份证件', 'identity document'),
  business_license: t('营业执照', 'business licence'),
  organization_code: t('组织机构代码', 'organisation code'),
  real_identity: t('真实身份信息', 'real identity'),
  // content
  live_stream: t('直播', 'live stream'),
  video: t('视频', 'video'),
  audio: t('音频', 'audio'),
  image: t('图片', 'image'),
  text: t('文字', 'text'),
  comment: t('评论', 'comment'),
  barrage: t('弹幕', 'barrage'),
  general: t('一般', 'general'),
  national_security: t('危害国家安全', 'endangering national security'),
  social_stability: t('破坏社会稳定', 'undermining social stability'),
  social_order: t('扰乱社会秩序', 'disturbing social order'),
  pornography: t('淫秽色情', 'obscenity and pornography'),
  rumor: t('网络谣言', 'rumour'),
  false_news: t('虚假新闻信息', 'false news'),
  infringement: t('侵犯他人合法权益', 'infringing the rights of others'),
  other_unlawful: t('其他法律法规禁止的内容', 'other unlawful content'),
  network_access: t('网络接入服务提供者', 'network access provider'),
  app_store: t('应用商店', 'app store'),
  law_enforcement: t('执法部门', 'law enforcement'),
  third_party: t('第三方', 'third party'),
  content_and_logs: t('发布内容和日志信息', 'published content and logs'),
  network_logs: t('网络日志', 'network logs'),
  // labels
  platform_identification: t('平台标识信息', 'platform identification'),
  synthetic_content: t('非真实音视频标识', 'label for non-real audio/video'),
  news_source: t('新闻来源', 'news source'),
  // disposal
  warn: t('警示', 'warn'),
  stop_transmission: t('停止传输', 'stop transmission'),
  remove_content: t('消除', 'remove the content'),
  suspend_publishing: t('暂停发布', 'suspend publishing'),
  restrict_function: t('限制功能', 'restrict functions'),
  suspend_updates: t('暂停更新', 'suspend updates'),
  close_account: t('关闭账号', 'close the account'),
  blacklist: t('纳入黑名单', 'blacklist'),
  deny_registration: t('禁止重新注册', 'refuse registration'),
  refute_rumor: t('辟谣', 'refute the rumour'),
  report_to_authority: t('向主管部门报告', 'report to the authority'),
  keep_record: t('保存记录', 'keep a record'),
  deny_access_service: t('不得提供网络接入服务', 'refuse network access service'),
  deny_app_distribution: t('不得提供应用分发服务', 'refuse app distribution'),
  stop_service: t('停止服务', 'stop the service'),
  // obligations
  pre_publication_review: t('先审后发', 'review before release'),
  security_assessment: t('安全评估', 'security assessment'),
  public_security_filing: t('公安备案', 'public security filing'),
  supplement_materials: t('补充相关材料', 'supplement the materials'),
  handle_complaint: t('处理投诉举报', 'handle the complaint'),
  provide_identity_information: t('依法提供身份信息', 'provide the identity information'),
};

/** The lists of a decision, by their plain names. */
export const DECISION_TERMS = {
  verification: t('尚缺的身份认证', 'Identity checks still missing'),
  labeling: t('须加注标识', 'Labels the content must carry'),
  disposal: t('处置措施', 'Measures to take'),
  retention: t('须保存', 'Keep'),
  obligations: t('须履行的义务', 'Obligations'),
} as const satisfies Record<string, Term>;

export type Lang = 'zh' | 'en';

export const fieldName = (path: string, lang: Lang): string => FIELD_TERMS[path]?.[lang] ?? path;
export const valueName = (value: string, lang: Lang): string => VALUE_TERMS[value]?.[lang] ?? value;

/** A fact a rule read, as explanations show it: codes by name, a list joined, an absent one said so. */
export function factValue(v: unknown, lang: Lang): string {
  if (v === null) return lang === 'zh' ? '未提供' : 'not given';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map((x) => valueName(String(x), lang)).join(lang === 'zh' ? '、' : ', ');
  if (typeof v === 'string') return valueName(v, lang);
  return String(v);
}

/** `live-2016 第12条第1款`, `live-2016 art. 12 para. 1`: a citation as explanations and hovers name it. */
export function citationName(c: { readonly regulation: string; readonly article: number; readonly paragraph?: number }, lang: Lang): string {
  const { regulation, article, paragraph } = c;
  return lang === 'zh' ? `${regulation} 第${article}条${paragraph ? `第${paragraph}款` : ''}` : `${regulation} art. ${article}${paragraph ? ` para. ${paragraph}` : ''}`;
}
