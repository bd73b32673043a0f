export interface ChatMessage {
  id: number;
  role: 'user' | 'notice';
  text: string;
}
