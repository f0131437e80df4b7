/** Shared state of the information desks: kinds, the office's publications, notices, and live pushes. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ElNotification } from 'element-plus';
import { useSocketStore } from '../shared/socketStore';
import { INFO_EVENTS, type IssuePush, type KindDto, type NoticeDto, type NoticePush, type PublicationDto } from '../../../contract/information';
import { infoApi } from './api';
import { i18n } from '../shared/i18n';

export const useInformationStore = defineStore('information', () => {
  const kinds = ref<KindDto[]>([]);
  const publications = ref<PublicationDto[]>([]);
  const notices = ref<NoticeDto[]>([]);
  /** Bumped on every push: pages watch it and refetch their page. */
  const revision = ref(0);
  let wired = false;

  async function load(): Promise<void> {
    const [k, p, n] = await Promise.all([infoApi.kinds(), infoApi.publications(), infoApi.notices()]);
    kinds.value = k.kinds;
    publications.value = p.publications;
    notices.value = n.notices;
  }

  function kindName(code: string): string {
    const k = kinds.value.find((x) => x.code === code);
    if (!k) return code;
    return i18n.global.locale.value === 'en' ? k.nameEn : k.name;
  }

  /** Listens once per session: notices for the unit, issues delivered to it, changes to refetch. */
  function wire(): void {
    if (wired) return;
    wired = true;
    const socket = useSocketStore();
    const { t } = i18n.global;
    socket.on(INFO_EVENTS.notice, (n: NoticePush) => {
      notices.value = [{ id: `live-${Date.now()}`, ...n }, ...notices.value].slice(0, 50);
      revision.value++;
      ElNotification({ title: t('information.notice.title'), message: n.text, type: 'info', duration: 6000, customClass: 'info-notice' });
    });
    socket.on(INFO_EVENTS.issue, (p: IssuePush) => {
      revision.value++;
      ElNotification({ title: t('information.notice.issue'), message: `${p.officeName}《${p.publicationName}》${p.label}`, type: 'success', duration: 8000, customClass: 'info-issue-notice' });
    });
    socket.on(INFO_EVENTS.changed, () => revision.value++);
    socket.on('connect', () => revision.value++);
  }

  return { kinds, publications, notices, revision, load, kindName, wire };
});
