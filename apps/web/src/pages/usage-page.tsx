import { useState } from 'react';
import { api, apiPage } from '../api/client.ts';
import type { LedgerEntry, UsageReport } from '../api/types.ts';
import { addCreditsCommand } from '../components/chat-message.tsx';
import { CodeBlock } from '../components/copy.tsx';
import { EmptyState, ErrorState, LoadMore, Skeleton, SkeletonRows } from '../components/feedback.tsx';
import { Segmented } from '../components/form.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
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
      const report = await api<UsageReport>('GET', '/api/v1/usage', { query: { days: range }, signal });
      setCredits(report.balance);
      return report;
    },
    [range],
  );
  const ledger = usePagedList<LedgerEntry>(
    (cursor, signal) => apiPage<LedgerEntry>('/api/v1/credits/ledger', { limit: 25, cursor }, signal),
    [],
  );
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
      <Card title="Credit ledger" description="Every change to the balance, newest first." flush>
        {ledger.error ? (
          <div className="card__inset">
            <ErrorState error={ledger.error} onRetry={ledger.reload} />
          </div>
        ) : !ledger.isLoading && ledger.items.length === 0 ? (
          <EmptyState icon="zap" title="No credit movements yet">
            Credits added by the operator and spent by replies will be listed here.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Reason</th>
                  <th className="table__number">Amount</th>
                  <th className="table__number">Balance after</th>
                </tr>
              </thead>
              <tbody>
                {ledger.isLoading ? <SkeletonRows columns={4} /> : null}
                {ledger.items.map((entry) => (
                  <tr key={entry.id}>
                    <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
                    <td>{describeLedgerReason(entry.reason)}</td>
                    <td
                      className={`table__number ${entry.amount >= 0 ? 'amount--positive' : 'amount--negative'}`}
                    >
                      {formatSignedAmount(entry.amount)}
                    </td>
                    <td className="table__number">{formatNumber(entry.balanceAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore
          hasMore={Boolean(ledger.nextCursor)}
          isLoading={ledger.isLoadingMore}
          onClick={ledger.loadMore}
        />
      </Card>
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
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Chatbot</th>
            <th className="table__number">Replies</th>
            <th className="table__number">Credits</th>
            <th className="table__share-head">Share of credits</th>
          </tr>
        </thead>
        <tbody>
          {isLoading ? <SkeletonRows columns={4} rows={3} /> : null}
          {rows.map((row) => (
            <tr key={row.chatbotId}>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
