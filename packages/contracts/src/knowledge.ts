import { z } from 'zod';
import { NOT_BLANK, storable } from './common.ts';

// Knowledge: the business's own content a chatbot answers from.

export const KNOWLEDGE_SOURCE_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;
export const KNOWLEDGE_SOURCE_KINDS = ['text', 'qa', 'file', 'url'] as const;
export const KNOWLEDGE_CRAWLS = ['page', 'sitemap'] as const;

/** The file types an upload may be, by extension. */
export const KNOWLEDGE_FILE_EXTENSIONS = ['pdf', 'docx', 'html', 'htm', 'md', 'markdown', 'txt'] as const;

/** A knowledge source's title: 1-200 characters once trimmed. */
export const knowledgeTitleSchema = storable(z.string().trim().min(1).max(200));

export const knowledgePairSchema = z.object({
  question: storable(z.string().trim().min(1).max(2_000)),
  answer: storable(z.string().trim().min(1).max(10_000)),
});
export type KnowledgePair = z.infer<typeof knowledgePairSchema>;

export const createKnowledgeSourceSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('text'),
      title: knowledgeTitleSchema,
      content: storable(
        z
          .string()
          .max(500_000, 'must be at most 500,000 characters')
          .regex(...NOT_BLANK),
      ),
    }),
    z.object({
      kind: z.literal('qa'),
      title: knowledgeTitleSchema,
      pairs: z.array(knowledgePairSchema).min(1).max(1_000),
    }),
    z.object({
      kind: z.literal('url'),
      /** Defaults to the page's own title (for a sitemap, the site's address). */
      title: knowledgeTitleSchema.optional(),
      url: z
        .string()
        .trim()
        .max(2_000)
        .check(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
      /** `page` imports the page at `url`; `sitemap` reads the sitemap at `url` and imports every page it lists. */
      crawl: z.enum(KNOWLEDGE_CRAWLS).default('page'),
    }),
  ])
  .meta({
    examples: [
      {
        kind: 'text',
        title: 'Opening hours',
        content: 'We are open Monday to Friday from 8:00 to 18:00 and on Saturdays from 9:00 to 17:00.',
      },
      {
        kind: 'qa',
        title: 'Returns',
        pairs: [
          { question: 'Can I return a bike?', answer: 'Yes, within 30 days, unused and with the receipt.' },
        ],
      },
      { kind: 'url', url: 'https://www.example.com/help/shipping', crawl: 'page' },
    ],
  });
export type CreateKnowledgeSource = z.infer<typeof createKnowledgeSourceSchema>;

export const knowledgeSourceSchema = z.object({
  id: z.string(),
  chatbotId: z.string(),
  kind: z.enum(KNOWLEDGE_SOURCE_KINDS),
  title: z.string(),
  /** The text of a `text` source. */
  content: z.string().optional(),
  /** The pairs of a `qa` source. */
  pairs: z.array(knowledgePairSchema).optional(),
  /** The address a `url` source imports, and whether it is one page or a sitemap. */
  url: z.string().optional(),
  crawl: z.enum(KNOWLEDGE_CRAWLS).optional(),
  /** The upload of a `file` source. */
  file: z.object({ name: z.string(), mediaType: z.string(), size: z.number().int() }).optional(),
  status: z.enum(KNOWLEDGE_SOURCE_STATUSES),
  /** Why ingestion failed; null unless `status` is `failed`. */
  error: z.string().nullable(),
  chunkCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KnowledgeSource = z.infer<typeof knowledgeSourceSchema>;

/** A passage a reply drew on: its knowledge source, and the start of the passage. */
export const replySourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string().optional(),
});
export type ReplySource = z.infer<typeof replySourceSchema>;
