/**
 * The price check form: loads the fitted model from the JSON API, keeps the model and trim lists in step with the
 * make, and shows the estimate of src/lib/price-model.ts. Values are only ever set as text.
 */
import { formatCurrency } from '../lib/format.ts';
import { describeSegment, estimatePrice, invalidInput, priceCatalog, priceModelFromTable, roundPrice, type CarInput, type ModelTable, type PriceModel } from '../lib/price-model.ts';

function setOptions(select: HTMLSelectElement, first: string, values: string[]): void {
  const options = [first, ...values].map((value, i) => {
    const option = document.createElement('option');
    option.value = i === 0 ? '' : value;
    option.textContent = value;
    return option;
  });
  select.replaceChildren(...options);
  select.disabled = values.length === 0;
}

/** The form's values as the estimator's input; optional fields left empty are undefined. */
function readCar(form: HTMLFormElement): CarInput {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const number = (name: string) => (text(name) === '' ? Number.NaN : Number(text(name)));
  return {
    make: text('make'),
    model: text('model'),
    trim: text('trim') || undefined,
    body: text('body') || undefined,
    year: number('year'),
    odometer: number('odometer'),
    condition: number('condition'),
  };
}

export async function initPriceCheck(): Promise<void> {
  const form = document.querySelector<HTMLFormElement>('[data-price-form]');
  const result = document.querySelector<HTMLElement>('[data-result]');
  const placeholder = document.querySelector<HTMLElement>('[data-placeholder]');
  if (!form || !result || !placeholder) return;
  const field = (name: string) => form.elements.namedItem(name) as HTMLSelectElement;
  const error = form.querySelector<HTMLElement>('[data-error]')!;
  const submit = form.querySelector<HTMLButtonElement>('[data-submit]')!;
  const show = (selector: string, text: string) => (result.querySelector(selector)!.textContent = text);

  let model: PriceModel;
  try {
    const response = await fetch(form.dataset.modelUrl!);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    model = priceModelFromTable((await response.json()) as ModelTable, Number(form.dataset.saleYear));
  } catch (e) {
    error.textContent = `The price model could not be loaded (${(e as Error).message}).`;
    return;
  }
  const catalog = priceCatalog(model);

  field('make').addEventListener('change', () => {
    setOptions(field('model'), 'Not listed / any model', catalog.models[field('make').value] ?? []);
    setOptions(field('trim'), 'Any trim', []);
  });
  field('model').addEventListener('change', () => {
    setOptions(field('trim'), 'Any trim', catalog.trims[field('make').value]?.[field('model').value] ?? []);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const car = readCar(form);
    const problem = car.make === '' ? 'choose a make' : invalidInput(car);
    if (problem) {
      error.textContent = `To estimate a price, ${problem}.`;
      result.hidden = true;
      placeholder.hidden = false;
      return;
    }
    error.textContent = '';
    const { estimate, low, high, segment } = estimatePrice(model, car);
    show('[data-estimate]', formatCurrency(roundPrice(estimate)));
    show('[data-low]', formatCurrency(roundPrice(low)));
    show('[data-high]', formatCurrency(roundPrice(high)));
    show('[data-segment]', describeSegment(segment));
    result.hidden = false;
    placeholder.hidden = true;
  });
  submit.disabled = false;
}
