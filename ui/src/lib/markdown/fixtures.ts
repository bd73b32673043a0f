// Shared by the unit tests and the benchmark page: an answer that uses every construct the
// renderer has to stream carefully.
// String.raw keeps TeX backslashes; ´ stands for a backtick, which String.raw cannot hold.
export const sampleAnswer = String.raw`# Streaming answers 🦊

Foxtail renders **Markdown** while it _grows_, with ~~strike~~, ´inline code´ and a
[link](https://example.com/docs?a=1&b=2 "title"). 한국어 문장도 **굵게** 표시합니다 — 이모지 👩‍💻🎉 포함.

Setext heading
--------------

1. First item
2. Second item with a nested list:
   - nested *a*
   - nested b

3. Third item after a blank line
4. Fourth

- bullet one

- bullet two, loose

> A quote that spans
> two lines, with **bold**.

> A second quote.

´´´ts
// code with a blank line inside

function add(a: number, b: number): number {
  return a + b; // 합계
}
´´´

| Language | Year | Note |
|:---------|-----:|------|
| Rust     | 2015 | 🦀 fast |
| 한국어   | 1443 | 훈민정음 |

Inline math $E = mc^2$ and \(a^2 + b^2 = c^2\).

$$
\int_0^1 x^2 \, dx = \frac{1}{3}

\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}
$$

\[
\mathbf{A}\mathbf{x} = \mathbf{b}
\]

    indented code block

***

~~~
tilde fence without a language
~~~

A final paragraph with a bare URL https://example.org/path and an image
![diagram](https://images.example.net/d.png) and a [mail link](mailto:me@example.com).
`.replaceAll('´', '`');
