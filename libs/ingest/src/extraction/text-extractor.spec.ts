import { minimalDocx, minimalPdf } from './document-fixtures';
import { htmlToText } from './html-to-text';
import { TextExtractor } from './text-extractor';

describe(TextExtractor.name, () => {
  const sut = new TextExtractor();
  const bytes = (s: string) => Buffer.from(s, 'utf8');

  it.each([
    ['text/plain; charset=utf-8', 'plain'],
    ['text/markdown', 'markdown'],
    ['application/json', 'json'],
    ['text/csv', 'csv'],
  ])('reads %s as UTF-8 text', async (type, format) => {
    const result = await sut.extract(bytes('\uFEFFhéllo, wörld'), type, 'x');
    expect(result).toEqual({ supported: true, format, text: 'héllo, wörld' });
  });

  it('strips tags, scripts, styles and comments from HTML and decodes entities', async () => {
    const html =
      '<html><head><style>p{color:red}</style><script>alert("x")</script></head><body><!-- hidden --><h1>Title</h1><p>Fish &amp; chips &#233;&#x41;</p></body></html>';
    const result = await sut.extract(bytes(html), 'text/html', 'page.html');
    expect(result.text).toBe('Title\nFish & chips éA');
    expect(htmlToText('a<br>b')).toBe('a\nb');
  });

  it('guesses the format from the extension when the type is generic', async () => {
    expect(sut.formatOf('application/octet-stream', 'notes.MD')).toBe('markdown');
    expect(sut.formatOf('', 'data.csv')).toBe('csv');
    expect(sut.formatOf('image/png', 'picture.txt')).toBeUndefined();
  });

  it('reports an unsupported type as stored but not embedded', async () => {
    const result = await sut.extract(Buffer.from([0x89, 0x50]), 'image/png', 'a.png');
    expect(result.supported).toBe(false);
    expect(result.text).toBe('');
    expect(result.reason).toContain('image/png');
  });

  it('extracts the text of a PDF', async () => {
    const result = await sut.extract(minimalPdf('Quarterly revenue grew'), 'application/pdf', 'r.pdf');
    expect(result.format).toBe('pdf');
    expect(result.text).toContain('Quarterly revenue grew');
  });

  it('extracts the text of a DOCX', async () => {
    const type = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const result = await sut.extract(minimalDocx('Meeting notes & actions'), type, 'n.docx');
    expect(result.format).toBe('docx');
    expect(result.text.trim()).toBe('Meeting notes & actions');
  });

  it('returns no text and a reason for a corrupt PDF instead of throwing', async () => {
    const result = await sut.extract(bytes('not a pdf'), 'application/pdf', 'bad.pdf');
    expect(result.supported).toBe(true);
    expect(result.text).toBe('');
    expect(result.reason).toMatch(/could not read the pdf/);
  });
});
