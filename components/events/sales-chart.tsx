'use client';
// The sales-by-day bars (recharts, loaded only by the dashboard, on demand).
// Decorative for assistive technology: the table beside it holds the same numbers.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SalesDay } from '@/lib/tickets/schemas';

export type SalesChartProps = {
  days: SalesDay[];
  /** A day's label ("12 Jan"), and a count's. */
  formatDay: (date: string) => string;
  ticketsLabel: string;
};

export default function SalesChart({ days, formatDay, ticketsLabel }: SalesChartProps) {
  const data = days.map((day) => ({ day: formatDay(day.date), tickets: day.tickets }));
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="day" tickLine={false} axisLine={false} fontSize={12} stroke="#475569" />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} stroke="#475569" width={40} />
        <Tooltip cursor={{ fill: '#eef2ff' }} formatter={(value) => [value, ticketsLabel]} />
        <Bar dataKey="tickets" name={ticketsLabel} fill="#4f46e5" radius={[4, 4, 0, 0]} maxBarSize={40} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
