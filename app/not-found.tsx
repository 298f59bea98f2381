import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="font-serif text-3xl font-semibold">Not found</h1>
      <p className="mt-4 text-stone-700">
        There is nothing at this address. <Link href="/" className="underline">See all articles</Link>.
      </p>
    </div>
  );
}
