export { GenAiPage } from '../pages/genai/GenAiPage';
