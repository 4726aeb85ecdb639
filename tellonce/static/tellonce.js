// Starts GOV.UK Frontend's components. A file, not an inline script, so the CSP stays strict.
import { initAll } from './govuk/govuk-frontend.min.js'
initAll()
