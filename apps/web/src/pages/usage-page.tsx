import { useState } from 'react';
import type { LedgerEntry, UsageReport } from '../api/types.ts';
import { getUsage, listLedger } from '../api/workspace.ts';
import { addCreditsCommand } from '../components/chat-message.tsx';
import { CodeBlock } from '../components/copy.tsx';
import { EmptyState, ErrorState, Skeleton } from '../components/feedback.tsx';
import { Segmented } from '../components/form.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { TimeSeriesChart } from '../components/time-series-chart.tsx';
import { usePagedList, useResource } from '../hooks/use-resource.ts';
import {
  describeLedgerReason,
  formatCredits,
  formatDateTime,
  formatDay,
  formatNumber,
  formatSignedAmount,
  pluralize,
} from '../lib/format.ts';
import { useSession } from '../session.tsx';
import './usage-page.css';

type Range = '7' | '30' | '90';

/** Replies and credits over time and per chatbot, the balance, and every credit movement. */
export function UsagePage() {
  const { session, setCredits } = useSession();
  const [range, setRange] = useState<Range>('30');
  const usage = useResource(
    async (signal) => {
      const report = await getUsage(range, signal);
      setCredits(report.balance);
      return report;
    },
    [range],
  );
  const ledger = usePagedList<LedgerEntry>((cursor, signal) => listLedger(cursor, signal), []);
  const report = usage.data;
  const totalMessages = report?.days.reduce((sum, day) => sum + day.messages, 0) ?? 0;
  const totalCredits = report?.days.reduce((sum, day) => sum + day.credits, 0) ?? 0;
  const isQuiet = report !== undefined && totalMessages === 0 && totalCredits === 0;

  return (
    <>
      <PageHeader
        title="Usage & credits"
        description="Assistant replies and the credits they cost, per UTC day and per chatbot."
        actions={
          <Segmented
            label="Period"
            value={range}
            onChange={setRange}
            options={[
              { value: '7', label: '7 days' },
              { value: '30', label: '30 days' },
              { value: '90', label: '90 days' },
            ]}
          />
        }
      />
      {usage.error ? <ErrorState error={usage.error} onRetry={usage.reload} /> : null}
      {/* Under an error there is no report: no zeros that would read as a quiet month. */}
      {usage.error ? null : (
        <>
          <div className="stats">
            <Stat
              label="Balance"
              value={formatNumber(report?.balance ?? session.workspace.credits)}
              unit="credits"
              isLoading={false}
              tone="accent"
            />
            <Stat
              label={`Replies, last ${range} days`}
              value={formatNumber(totalMessages)}
              isLoading={usage.isLoading}
            />
            <Stat
              label={`Credits spent, last ${range} days`}
              value={formatNumber(totalCredits)}
              isLoading={usage.isLoading}
            />
            <Stat
              label="Average per day"
              value={
                report
                  ? formatNumber(Math.round((totalCredits / Math.max(1, report.days.length)) * 10) / 10)
                  : '0'
              }
              unit="credits"
              isLoading={usage.isLoading}
            />
          </div>
          <div className="grid-2">
            <Card title="Replies per day">
              {usage.isLoading ? <Skeleton height={220} /> : null}
              {report && !isQuiet ? (
                <TimeSeriesChart
                  kind="bar"
                  label={`Replies per day over the last ${range} days`}
                  points={report.days.map((day) => ({
                    label: formatDay(day.date),
                    value: day.messages,
                    tooltip: `${formatDay(day.date)}: ${pluralize(day.messages, 'reply', 'replies')}`,
                  }))}
                />
              ) : null}
              {isQuiet ? <QuietChart range={range} /> : null}
            </Card>
            <Card title="Credits per day">
              {usage.isLoading ? <Skeleton height={220} /> : null}
              {report && !isQuiet ? (
                <TimeSeriesChart
                  kind="line"
                  label={`Credits spent per day over the last ${range} days`}
                  points={report.days.map((day) => ({
                    label: formatDay(day.date),
                    value: day.credits,
                    tooltip: `${formatDay(day.date)}: ${formatCredits(day.credits)}`,
                  }))}
                />
              ) : null}
              {isQuiet ? <QuietChart range={range} /> : null}
            </Card>
          </div>
          <Card title="By chatbot" description={`Over the last ${range} days.`} flush>
            <ChatbotBreakdown report={report} isLoading={usage.isLoading} />
          </Card>
        </>
      )}
      <ListCard
        list={ledger}
        errorAs="card"
        title="Credit ledger"
        description="Every change to the balance, newest first."
        empty={
          <EmptyState icon="zap" title="No credit movements yet">
            Credits added by the operator and spent by replies will be listed here.
          </EmptyState>
        }
      >
        <Table
          columns={[
            { label: 'Date' },
            { label: 'Reason' },
            { label: 'Amount', className: 'table__number' },
            { label: 'Balance after', className: 'table__number' },
          ]}
          items={ledger.items}
          isLoading={ledger.isLoading}
          rowKey={(entry) => entry.id}
          cells={(entry) => (
            <>
              <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
              <td>
                {entry.conversation ? (
                  <a
                    href={`#/conversations/${encodeURIComponent(entry.conversation.chatbotId)}/${encodeURIComponent(entry.conversation.conversationId)}`}
                  >
                    {describeLedgerReason(entry.reason)}
                  </a>
                ) : (
                  describeLedgerReason(entry.reason)
                )}
              </td>
              <td className={`table__number ${entry.amount >= 0 ? 'amount--positive' : 'amount--negative'}`}>
                {formatSignedAmount(entry.amount)}
              </td>
              <td className="table__number">{formatNumber(entry.balanceAfter)}</td>
            </>
          )}
        />
      </ListCard>
      <Card
        title="How to add credits"
        description="Credits are added by the operator of this PollyBot server."
      >
        <div className="stack">
          <p className="muted">
            With <code>POLLYBOT_ADMIN_TOKEN</code> set on the server, the operator API adds (or, with a
            negative amount, removes) credits. Each reply costs its model's price (1 credit unless the server
            sets <code>POLLYBOT_MODEL_PRICES</code>); failed replies cost nothing.
          </p>
          <CodeBlock
            code={addCreditsCommand(window.location.origin, session.workspace.id)}
            label="Operator API"
          />
        </div>
      </Card>
    </>
  );
}

function Stat({
  label,
  value,
  unit,
  isLoading,
  tone,
}: {
  label: string;
  value: string;
  unit?: string;
  isLoading: boolean;
  tone?: 'accent';
}) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`}>
      <span className="stat__label">{label}</span>
      {isLoading ? (
        <Skeleton width={90} height={28} />
      ) : (
        <span className="stat__value">
          {value}
          {unit ? <small> {unit}</small> : null}
        </span>
      )}
    </div>
  );
}

function QuietChart({ range }: { range: string }) {
  return (
    <EmptyState icon="chart" title={`No replies in the last ${range} days`}>
      Send a message in the playground or through the API and it shows up here.
    </EmptyState>
  );
}

function ChatbotBreakdown({ report, isLoading }: { report?: UsageReport; isLoading: boolean }) {
  const rows = [...(report?.chatbots ?? [])].sort((a, b) => b.credits - a.credits || b.messages - a.messages);
  const totalCredits = rows.reduce((sum, row) => sum + row.credits, 0);
  const shareOf = (credits: number) => (totalCredits > 0 ? Math.round((credits / totalCredits) * 100) : 0);
  if (!isLoading && rows.length === 0) {
    return (
      <EmptyState icon="bot" title="No chatbot has replied in this period">
        Per-chatbot replies and credits appear once your chatbots answer.
      </EmptyState>
    );
  }
  return (
    <Table
      columns={[
        { label: 'Chatbot' },
        { label: 'Replies', className: 'table__number' },
        { label: 'Credits', className: 'table__number' },
        { label: 'Share of credits', className: 'table__share-head' },
      ]}
      items={rows}
      isLoading={isLoading}
      skeletonRows={3}
      rowKey={(row) => row.chatbotId}
      cells={(row) => (
        <>
          <td>
            <a className="table__primary-link" href={`#/chatbots/${encodeURIComponent(row.chatbotId)}`}>
              {row.name}
            </a>
          </td>
          <td className="table__number">{formatNumber(row.messages)}</td>
          <td className="table__number">{formatNumber(row.credits)}</td>
          <td>
            <div className="share">
              <div className="share-bar" title={formatCredits(row.credits)}>
                <span style={{ width: `${shareOf(row.credits)}%` }} />
              </div>
              <span className="share__value">{shareOf(row.credits)}%</span>
            </div>
          </td>
        </>
      )}
    />
  );
}
