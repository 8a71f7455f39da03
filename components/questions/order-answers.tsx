import { shownAnswer, type AnswerDto } from '@/lib/questions/schemas';

type Props = {
  answers: AnswerDto[] | undefined;
  tickets: { id: string; holder: string; answers?: AnswerDto[] | undefined }[];
  title: string;
  /** A consent's answer in the reader's words. */
  words: { yes: string; no: string };
};

/** An order's answers in the organiser's order list: the order's, then each ticket holder's, as given. */
export function OrderAnswers({ answers = [], tickets, title, words }: Props) {
  const holders = tickets.filter((ticket) => (ticket.answers?.length ?? 0) > 0);
  if (answers.length === 0 && holders.length === 0) return null;
  const list = (given: AnswerDto[]) => (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 text-xs">
      {given.map((answer) => (
        <div key={answer.questionId} className="contents">
          <dt className="text-slate-600">{answer.label}</dt>
          <dd className="break-words text-slate-900">{shownAnswer(answer, words) ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <details className="mt-1 text-xs" data-testid="order-answers">
      <summary className="cursor-pointer text-indigo-700">{title}</summary>
      <div className="mt-1 flex flex-col gap-1">
        {answers.length > 0 && list(answers)}
        {holders.map((ticket) => (
          <div key={ticket.id}>
            <p className="font-medium text-slate-800">{ticket.holder}</p>
            {list(ticket.answers ?? [])}
          </div>
        ))}
      </div>
    </details>
  );
}
