import type { Metadata } from "next";
import { MODEL_PARAMS, RATING_VALUE, THRESHOLDS } from "@/lib/ranking/config";
import { schedule } from "@/lib/ranking/schedule";
import { RATING_VALUE_LABEL } from "@/lib/ranking/labels";
import { latestRun } from "@/lib/ranking/score-contributions";

// Rendered per request from the database (there is no database at build time).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "How “Most helpful” works" };

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** The public description of the bridging ranking: the model, the thresholds, the fallback and the last run. */
export default async function RankingPage() {
  const run = await latestRun();
  const t = THRESHOLDS;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-4xl font-semibold tracking-tight">How “Most helpful” works</h1>
      <p className="mt-3 text-lg text-stone-700">
        Beside each paragraph, contributions can be ordered <strong>Most helpful</strong> or <strong>Newest</strong>. “Most
        helpful” does not count votes. It puts first what readers who usually disagree with each other both found helpful.
      </p>

      <div className="mt-8 space-y-6 font-serif text-lg leading-relaxed text-stone-900">
        <section aria-labelledby="rating">
          <h2 id="rating" className="font-sans text-xl font-semibold">
            Rating
          </h2>
          <p className="mt-2">
            Signed-in readers rate other people’s contributions{" "}
            {Object.entries(RATING_VALUE)
              .map(([k, v]) => `${RATING_VALUE_LABEL[k as keyof typeof RATING_VALUE].toLowerCase()} (${v})`)
              .join(", ")}
            , optionally with reasons. One rating per reader per contribution; you can change or withdraw it. You see how
            others rated only after you have rated, so that nobody simply follows the crowd. Ratings of contributions that
            are hidden, rejected or deleted stop counting.
          </p>
        </section>

        <section aria-labelledby="model">
          <h2 id="model" className="font-sans text-xl font-semibold">
            The model
          </h2>
          <p className="mt-2">
            In the manner of X’s Community Notes, every rating is explained as{" "}
            <em>overall average + the rater’s leniency + the contribution’s helpfulness + the rater’s lean × the
            contribution’s lean</em>. Lean is one number per rater and per contribution, learnt from the ratings alone: raters
            who tend to agree get similar leans. A contribution liked only by raters of one lean is explained by its lean;
            only support from raters of different leans raises its <strong>helpfulness</strong> (the intercept), because
            helpfulness is held back harder than lean: the penalty on intercepts is {MODEL_PARAMS.lambdaIntercept}, on
            leans {MODEL_PARAMS.lambdaFactor}.
          </p>
          <p className="mt-2">
            Raters with fewer than {MODEL_PARAMS.minRaterRatings} ratings are left out of the model: nothing is known yet
            about their lean, so a crowd of new accounts cannot make a contribution look widely supported. Their ratings
            still show in the counts.
          </p>
        </section>

        <section aria-labelledby="thresholds">
          <h2 id="thresholds" className="font-sans text-xl font-semibold">
            Thresholds
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6">
            <li>
              <strong>Helpful across perspectives</strong>: helpfulness at least {t.minIntercept.toFixed(2)}, a lean smaller
              than {t.maxAbsFactor.toFixed(2)} either way, and at least {t.minRatings} ratings from raters in the model.
            </li>
            <li>
              <strong>Needs more ratings</strong>: fewer than {t.minRatings} ratings from raters in the model.
            </li>
            <li>Everything else is shown without a label.</li>
          </ul>
          <p className="mt-2">
            Leans are scaled so that a typical rater’s is 1: a lean of {t.maxAbsFactor.toFixed(2)} means raters on
            opposite sides would rate the contribution about {(2 * t.maxAbsFactor).toFixed(1)} apart on the 0–1 scale.
          </p>
        </section>

        <section aria-labelledby="order">
          <h2 id="order" className="font-sans text-xl font-semibold">
            The order
          </h2>
          <ol className="mt-2 list-decimal space-y-1 pl-6">
            <li>Helpful across perspectives, most helpful first.</li>
            <li>
              Those that need more ratings, <strong>newest first</strong> (the fallback: new contributions get seen and
              rated instead of sinking).
            </li>
            <li>The rest, most helpful first.</li>
          </ol>
          <p className="mt-2">
            “Most helpful” is the default for a paragraph once one of its contributions has enough ratings; before that,
            newest first.
          </p>
        </section>

        <section aria-labelledby="runs">
          <h2 id="runs" className="font-sans text-xl font-semibold">
            When scores change
          </h2>
          <p className="mt-2">
            Scores are computed in the background every {schedule.intervalMinutes} minutes, and sooner once{" "}
            {schedule.minNewRatings} ratings have changed — never while you wait for a page. Every run’s scores are kept.
          </p>
          <p className="mt-2" data-testid="last-run">
            {run ? (
              <>
                Last run: <time dateTime={run.finishedAt.toISOString()}>{WHEN.format(run.finishedAt)} UTC</time>,{" "}
                {run.ratingsCount.toLocaleString("en")} ratings, {run.itemsScored.toLocaleString("en")} contributions scored,{" "}
                {run.helpfulCount.toLocaleString("en")} helpful across perspectives.
              </>
            ) : (
              <>No scoring run yet.</>
            )}
          </p>
        </section>
      </div>
    </div>
  );
}
