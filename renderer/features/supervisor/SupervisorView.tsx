// The supervisor's desktop: live queues with thresholds and trends, the agents grid, and forces.
import { useT } from '../../i18n/use-t';
import { SignedInAs } from '../session/SignedInAs';
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
    <main className="supervisor-view" data-testid="supervisor-view">
      <header>
        <h1>{t('supervisor.heading')}</h1>
        <SignedInAs />
        <ShowDeskButton />
      </header>
      <GreatServiceBanner />
      <QueueAlerts />
      <QueueTable />
      <ThresholdsDialog />
      <TrendCharts />
      <AgentGrid />
      <ForceDialog />
      <MarkGreatServiceDialog />
    </main>
  );
}
