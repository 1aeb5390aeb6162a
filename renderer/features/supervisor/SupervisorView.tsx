// The supervisor's desktop: the bar (who is signed in, the VOC desk, sync, language, settings), live queues with thresholds and trends, the agents grid, and forces.
import { useT } from '../../i18n/use-t';
import { RoleBar } from '../session/RoleBar';
import { AgentGrid } from './AgentGrid';
import { ForceDialog } from './ForceDialog';
import { QueueAlerts } from './QueueAlerts';
import { QueueTable } from './QueueTable';
import { ThresholdsDialog } from './ThresholdsDialog';
import { TrendCharts } from './TrendCharts';
import { GreatServiceBanner } from '../great-service/GreatServiceBanner';
import { MarkGreatServiceDialog } from '../great-service/MarkGreatServiceDialog';
import { ShowDeskButton } from '../voc-desk/DeskBar';
import './supervisor.css';

export function SupervisorView() {
  const t = useT();
  return (
    <>
      <RoleBar label={t('supervisor.barLabel')} testId="floor-bar">
        <ShowDeskButton />
      </RoleBar>
      <main className="supervisor-view" data-testid="supervisor-view">
        <h1>{t('supervisor.heading')}</h1>
        <GreatServiceBanner />
        <QueueAlerts />
        <QueueTable />
        <ThresholdsDialog />
        <TrendCharts />
        <AgentGrid />
        <ForceDialog />
        <MarkGreatServiceDialog />
      </main>
    </>
  );
}
