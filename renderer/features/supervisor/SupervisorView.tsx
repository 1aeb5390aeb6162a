// The supervisor's desktop: the top bar, live queues with thresholds and trends, chats and emails per
// queue with their capacity, the agents grid, and forces.
import { useT } from '../../i18n/use-t';
import { TopBar } from '../../app/TopBar';
import { AgentGrid } from './AgentGrid';
import { CapacityDialog } from './CapacityDialog';
import { ChannelTable } from './ChannelTable';
import { ForceDialog } from './ForceDialog';
import { QueueAlerts } from './QueueAlerts';
import { QueueTable } from './QueueTable';
import { ThresholdsDialog } from './ThresholdsDialog';
import { TrendCharts } from './TrendCharts';
import { GreatServiceBanner } from '../great-service/GreatServiceBanner';
import { ImprovementsSharedBanner } from '../improvements/ImprovementsSharedBanner';
import { MarkGreatServiceDialog } from '../great-service/MarkGreatServiceDialog';
import './supervisor.css';

export function SupervisorView() {
  const t = useT();
  return (
    <>
      <TopBar />
      <main className="supervisor-view" data-testid="supervisor-view">
        <h1>{t('supervisor.heading')}</h1>
        <GreatServiceBanner />
        <ImprovementsSharedBanner />
        <QueueAlerts />
        <QueueTable />
        <ThresholdsDialog />
        <ChannelTable />
        <CapacityDialog />
        <TrendCharts />
        <AgentGrid />
        <ForceDialog />
        <MarkGreatServiceDialog />
      </main>
    </>
  );
}
