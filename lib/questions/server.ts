// What pages read of questions, looked up at most once per request (React cache).
import 'server-only';
import { publicEventRow } from '@/lib/events/server';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { listQuestions, publicQuestions, questionColumnsOf } from './questions';
import type { PublicQuestionDto, QuestionDto } from './schemas';

/** What the guest's form on /e/<slug> asks; [] for an event without questions or a page that is not public. */
export const publicQuestionsOf = cache(async (slug: string): Promise<PublicQuestionDto[]> => {
  const event = await publicEventRow(slug);
  return event ? publicQuestions(getDb(), event.id) : [];
});

/** The owner's event's questions for its Questions panel; null when the event is not theirs. */
export const eventQuestionsOf = cache((eventId: string, teamId: string): Promise<QuestionDto[] | null> => listQuestions(getDb(), { eventId, teamId }));

/** A column per question for the attendee list (the caller showed the event is the organiser's): live ones in order, then deleted ones. */
export const questionColumns = cache((eventId: string): Promise<{ id: string; label: string }[]> => questionColumnsOf(getDb(), eventId));
